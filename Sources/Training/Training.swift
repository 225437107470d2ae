// Training — see README for what this target holds.
