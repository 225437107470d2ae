/// A reference-counted, 64-byte-aligned buffer of `count` scalars of one dtype. Tensors share a
/// storage when one is a cheap view of another (`reshaped`), so an in-place update (the optimiser
/// step) is seen by every view, as in PyTorch.
public final class Storage: @unchecked Sendable {
  public let count: Int
  public let dtype: DType
  let raw: UnsafeMutableRawPointer

  init(count: Int, dtype: DType, zeroed: Bool = true) {
    self.count = count
    self.dtype = dtype
    let bytes = max(count, 1) * dtype.byteSize
    raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    if zeroed { raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes) }
  }

  deinit { raw.deallocate() }

  @inline(__always) func pointer<S: TensorScalar>(_: S.Type) -> UnsafeMutablePointer<S> {
    precondition(S.dtype == dtype, "storage holds \(dtype), asked for \(S.dtype)")
    return raw.assumingMemoryBound(to: S.self)
  }
}

extension Storage {
  /// Overwrites every element with `other`'s (same count and dtype).
  public func copyElements(from other: Storage) {
    precondition(
      other.count == count && other.dtype == dtype,
      "copy: \(other.count) \(other.dtype) into \(count) \(dtype)")
    raw.copyMemory(from: other.raw, byteCount: count * dtype.byteSize)
  }
}
