/// One entry of a GGUF file's tensor-info table.
///
/// GGUF stores dimensions innermost first (`ne[0]` is the length of a row, as in ggml); `shape`
/// gives them outermost first, the PyTorch / Hugging Face order. For a linear weight `ne = [in, out]`
/// becomes `shape = [out, in]`, and the row-major data need no transposition.
public struct GGUFTensorInfo: Equatable, Sendable {
  public var name: String
  /// Dimensions as stored (`ne[0]` first, innermost).
  public var dimensions: [Int]
  public var type: GGMLType
  /// Offset of the data relative to the start of the data section (a multiple of the alignment).
  public var offset: Int

  /// Outermost-first dimensions (`dimensions.reversed()`).
  public var shape: [Int] { dimensions.reversed() }

  /// Number of elements.
  public var elementCount: Int { dimensions.reduce(1, *) }

  /// Bytes of stored data, or nil for a type whose block layout is unknown.
  public var byteCount: Int? {
    guard let blockSize = type.blockSize, let blockBytes = type.blockBytes else { return nil }
    return elementCount / blockSize * blockBytes
  }
}

/// The stored (possibly quantised) bytes of a tensor, for kernels that compute on quantised blocks
/// directly. `shape` is outermost first; each row of `shape.last!` values is `shape.last! / blockSize`
/// consecutive blocks of `type`, so rows can be addressed as `rowBytes` slices.
public struct GGUFRawTensor: Sendable {
  public var name: String
  public var type: GGMLType
  public var shape: [Int]
  public var bytes: [UInt8]

  /// Bytes per row (the innermost dimension), for a known block layout.
  public var rowBytes: Int? {
    guard let inner = shape.last, let blockSize = type.blockSize, let blockBytes = type.blockBytes else {
      return nil
    }
    return inner / blockSize * blockBytes
  }
}
