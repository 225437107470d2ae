// Evaluation — see README for what this target holds.
