// Tests for TensorCore.
