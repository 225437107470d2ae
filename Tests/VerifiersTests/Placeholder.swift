// Tests for Verifiers.
