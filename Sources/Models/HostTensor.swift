/// A tensor loaded from (or about to be written to) a checkpoint, held in host memory as `Float`.
///
/// This is deliberately independent of TensorCore: checkpoint I/O only moves named arrays of numbers.
/// `shape` is row-major, outermost dimension first — the PyTorch / Hugging Face order. A linear layer's
/// weight is `[outFeatures, inFeatures]`, so `data[o * inFeatures + i]` is the weight from input `i` to
/// output `o`. A scalar has `shape == []` and one element.
public struct HostTensor: Equatable, Sendable {
  public var name: String
  public var shape: [Int]
  public var data: [Float]

  /// Creates a tensor; `data.count` must equal the product of `shape`.
  public init(name: String, shape: [Int], data: [Float]) throws {
    guard shape.allSatisfy({ $0 >= 0 }) else {
      throw CheckpointError.invalidTensor(name: name, reason: "negative dimension in shape \(shape)")
    }
    let count = HostTensor.elementCount(shape)
    guard count == data.count else {
      throw CheckpointError.invalidTensor(
        name: name, reason: "shape \(shape) holds \(count) elements but \(data.count) values were given")
    }
    self.name = name
    self.shape = shape
    self.data = data
  }

  /// Creates a tensor without checking; used by loaders that computed `data` from `shape` themselves.
  init(unchecked name: String, shape: [Int], data: [Float]) {
    self.name = name
    self.shape = shape
    self.data = data
  }

  /// Number of elements, the product of `shape` (1 for a scalar).
  public var count: Int { data.count }

  /// Product of the dimensions; `[]` (a scalar) holds one element.
  public static func elementCount(_ shape: [Int]) -> Int {
    shape.reduce(1, *)
  }
}
