// Tests for Generation.
