/// A dense, row-major n-dimensional array with an optional gradient tape entry.
///
/// Tensors are immutable values as far as the ops are concerned: every op returns a new tensor.
/// The two exceptions are explicit: optimisers update parameters in place (`storage` is shared by
/// views), and gradients accumulate into `grad`.
public final class Tensor: @unchecked Sendable, CustomStringConvertible {
  /// Dimensions, outermost first (PyTorch order).
  public let shape: [Int]
  /// The buffer; `reshaped` views share it. (`var` only so that the backward pass can ask whether a
  /// gradient's buffer is referenced once, `isKnownUniquelyReferenced`; it is never reassigned.)
  public internal(set) var storage: Storage
  /// Whether gradients flow to (and accumulate in) this tensor.
  public var requiresGrad: Bool = false
  /// Accumulated gradient (leaves only, after `backward()`).
  public var grad: Tensor?
  /// Tape entry: how this tensor was computed (nil for leaves and for no-grad results).
  var node: GradNode?

  public var dtype: DType { storage.dtype }
  public var count: Int { storage.count }
  public var rank: Int { shape.count }

  init(shape: [Int], storage: Storage) {
    precondition(
      Shape.count(shape) == storage.count,
      "tensor shape \(shape) needs \(Shape.count(shape)) elements, storage has \(storage.count)")
    self.shape = shape
    self.storage = storage
  }

  /// A tensor of zeros.
  public convenience init(zeros shape: [Int], dtype: DType = .float32) {
    Shape.validate(shape)
    self.init(shape: shape, storage: Storage(count: Shape.count(shape), dtype: dtype))
  }

  /// Uninitialised storage for kernels that write every element.
  static func empty(_ shape: [Int], _ dtype: DType) -> Tensor {
    Tensor(shape: shape, storage: Storage(count: Shape.count(shape), dtype: dtype, zeroed: false))
  }

  /// A tensor whose elements are unspecified until written: for buffers whose every read element
  /// is written first (a KV cache's unfilled positions), where zeroing would be wasted work.
  public static func uninitialized(_ shape: [Int], dtype: DType = .float32) -> Tensor {
    Shape.validate(shape)
    return empty(shape, dtype)
  }

  public convenience init(_ values: [Float], shape: [Int]) {
    Shape.validate(shape)
    precondition(
      values.count == Shape.count(shape), "\(values.count) values do not fill shape \(shape)")
    self.init(shape: shape, storage: Storage(count: values.count, dtype: .float32, zeroed: false))
    values.withUnsafeBufferPointer { src in
      storage.pointer(Float.self).update(from: src.baseAddress!, count: values.count)
    }
  }

  public convenience init(float64 values: [Double], shape: [Int]) {
    Shape.validate(shape)
    precondition(
      values.count == Shape.count(shape), "\(values.count) values do not fill shape \(shape)")
    self.init(shape: shape, storage: Storage(count: values.count, dtype: .float64, zeroed: false))
    values.withUnsafeBufferPointer { src in
      storage.pointer(Double.self).update(from: src.baseAddress!, count: values.count)
    }
  }

  /// A tensor filled with one value.
  public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) -> Tensor {
    let t = Tensor.empty(shape, dtype)
    switch dtype {
    case .float32: t.pointer(Float.self).update(repeating: Float(value), count: t.count)
    case .float64: t.pointer(Double.self).update(repeating: value, count: t.count)
    }
    return t
  }

  public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor {
    full(shape, 1, dtype: dtype)
  }

  /// A rank-0 tensor.
  public static func scalar(_ value: Double, dtype: DType = .float32) -> Tensor {
    full([], value, dtype: dtype)
  }

  /// Typed pointer to the first element (the dtype must match).
  @inline(__always) public func pointer<S: TensorScalar>(_ type: S.Type) -> UnsafeMutablePointer<S> {
    storage.pointer(type)
  }

  /// The elements as `Float`, converting from Float64 if needed.
  public func toArray() -> [Float] {
    switch dtype {
    case .float32: return Array(UnsafeBufferPointer(start: pointer(Float.self), count: count))
    case .float64:
      return UnsafeBufferPointer(start: pointer(Double.self), count: count).map { Float($0) }
    }
  }

  /// The elements as `Double`.
  public func toDoubleArray() -> [Double] {
    switch dtype {
    case .float32: return UnsafeBufferPointer(start: pointer(Float.self), count: count).map { Double($0) }
    case .float64: return Array(UnsafeBufferPointer(start: pointer(Double.self), count: count))
    }
  }

  /// The single element of a one-element tensor.
  public func item() -> Double {
    precondition(count == 1, "item() needs exactly one element, shape is \(shape)")
    return dtype == .float32 ? Double(pointer(Float.self)[0]) : pointer(Double.self)[0]
  }

  /// Element at a flat (row-major) index, as Double; for tests and diagnostics.
  public subscript(flat index: Int) -> Double {
    get { dtype == .float32 ? Double(pointer(Float.self)[index]) : pointer(Double.self)[index] }
    set {
      if dtype == .float32 {
        pointer(Float.self)[index] = Float(newValue)
      } else {
        pointer(Double.self)[index] = newValue
      }
    }
  }

  /// A deep copy with no tape entry.
  public func copy() -> Tensor {
    let out = Tensor.empty(shape, dtype)
    out.storage.raw.copyMemory(from: storage.raw, byteCount: count * dtype.byteSize)
    return out
  }

  public var description: String {
    let values = toDoubleArray().prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
    return "Tensor(\(shape), \(dtype)\(requiresGrad ? ", grad" : ""): [\(values)\(count > 8 ? ", …" : "")])"
  }
}
