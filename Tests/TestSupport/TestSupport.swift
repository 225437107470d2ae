// Gradient-check helpers.
