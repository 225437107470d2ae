// TensorCore
