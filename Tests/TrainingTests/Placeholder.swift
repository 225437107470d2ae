// Tests for Training.
