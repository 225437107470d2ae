// Tests for Models.
