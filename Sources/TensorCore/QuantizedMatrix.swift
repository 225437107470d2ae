/// The ggml block formats the quantized kernels compute on directly (ggml-common.h). Every block
/// holds 32 consecutive values of one row; scales are binary16.
///
/// | format | block bytes | layout                  | value i                                   |
/// |--------|-------------|-------------------------|-------------------------------------------|
/// | Q8_0   | 34          | d; int8 q[32]           | d·q[i]                                    |
/// | Q4_0   | 18          | d; u8 qs[16]            | d·(lo(qs[i])−8), d·(hi(qs[i−16])−8)       |
/// | Q4_1   | 20          | d; m; u8 qs[16]         | d·lo(qs[i])+m,   d·hi(qs[i−16])+m         |
public enum QuantFormat: String, Sendable, CaseIterable {
  case q8_0 = "Q8_0"
  case q4_0 = "Q4_0"
  case q4_1 = "Q4_1"

  /// Values per block.
  public static let blockSize = 32

  /// Bytes per block in the ggml file layout.
  public var blockBytes: Int {
    switch self {
    case .q8_0: return 34
    case .q4_0: return 18
    case .q4_1: return 20
    }
  }

  /// Bytes of packed integers per block (32 int8, or 32 nibbles).
  var quantBytes: Int { self == .q8_0 ? 32 : 16 }

  /// The activation format ggml pairs with these weights (`vec_dot_type`): Q8_1 for Q4_1 (its
  /// block sum feeds the weight minimum), Q8_0 otherwise.
  public var activationFormat: ActivationFormat { self == .q4_1 ? .q8_1 : .q8_0 }
}

/// A (rows, cols) weight matrix kept in a ggml block format, rows = output features, so
/// `y = x·Wᵀ` (see `quantizedMatmul`). Inference only: it never takes part in autodiff.
///
/// The file's interleaved blocks are split into planes at load — block scales (and Q4_1
/// minimums) decoded to Float, packed integers contiguous per row — so the kernels load 16-byte
/// vectors without the 2- or 4-byte header in between. The values are exactly the file's.
public final class QuantizedMatrix: @unchecked Sendable {
  public let format: QuantFormat
  public let rows: Int
  public let cols: Int
  /// Blocks per row (cols / 32).
  public let blocksPerRow: Int
  /// (rows · blocksPerRow) block scales d.
  let scales: UnsafeMutablePointer<Float>
  /// (rows · blocksPerRow) block minimums m (Q4_1; zeros otherwise).
  let mins: UnsafeMutablePointer<Float>
  /// rows · blocksPerRow · quantBytes packed integers.
  let quants: UnsafeMutableRawPointer

  /// Bytes held (planes), for memory accounting.
  public var byteCount: Int { rows * blocksPerRow * (8 + format.quantBytes) }

  /// From ggml block bytes, row-major (`rows · cols / 32` blocks). Fails with a message when the
  /// byte count does not fit the shape or cols is not a multiple of 32.
  public init(format: QuantFormat, rows: Int, cols: Int, blocks: UnsafeRawBufferPointer) throws {
    guard rows >= 0, cols > 0, cols % QuantFormat.blockSize == 0 else {
      throw QuantizedMatrixError(
        "\(format.rawValue) matrix needs cols a positive multiple of 32, got \(cols)")
    }
    let nb = cols / QuantFormat.blockSize
    guard blocks.count == rows * nb * format.blockBytes else {
      throw QuantizedMatrixError(
        "\(format.rawValue) (\(rows), \(cols)) needs \(rows * nb * format.blockBytes) bytes, got \(blocks.count)"
      )
    }
    self.format = format
    self.rows = rows
    self.cols = cols
    blocksPerRow = nb
    let count = max(rows * nb, 1)
    scales = .allocate(capacity: count)
    mins = .allocate(capacity: count)
    mins.initialize(repeating: 0, count: count)
    quants = .allocate(byteCount: count * format.quantBytes, alignment: 64)
    guard let base = blocks.baseAddress else { return }
    let qb = format.quantBytes
    for i in 0..<(rows * nb) {
      let block = base + i * format.blockBytes
      scales[i] = Half.float(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
      let header = format == .q4_1 ? 4 : 2
      if format == .q4_1 {
        mins[i] = Half.float(UInt16(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
      }
      (quants + i * qb).copyMemory(from: block + header, byteCount: qb)
    }
  }

  deinit {
    scales.deallocate()
    mins.deallocate()
    quants.deallocate()
  }

  /// Row `r` decoded to Float into `out` (cols values), as ggml's `dequantize_row_*`.
  public func dequantizeRow(_ r: Int, into out: UnsafeMutablePointer<Float>) {
    precondition(r >= 0 && r < rows, "row \(r) outside 0..<\(rows)")
    for b in 0..<blocksPerRow {
      let i = r * blocksPerRow + b
      let (d, m) = (scales[i], mins[i])
      let q = quants + i * format.quantBytes
      let y = out + b * QuantFormat.blockSize
      switch format {
      case .q8_0:
        for j in 0..<32 { y[j] = d * Float(q.load(fromByteOffset: j, as: Int8.self)) }
      case .q4_0, .q4_1:
        let offset: Float = format == .q4_0 ? -8 : 0
        for j in 0..<16 {
          let v = q.load(fromByteOffset: j, as: UInt8.self)
          if format == .q4_0 {
            y[j] = d * (Float(v & 0x0F) + offset)
            y[j + 16] = d * (Float(v >> 4) + offset)
          } else {
            y[j] = d * Float(v & 0x0F) + m
            y[j + 16] = d * Float(v >> 4) + m
          }
        }
      }
    }
  }

  /// The whole matrix decoded to a Float32 (rows, cols) tensor (the reference path).
  public func dequantized() -> Tensor {
    let out = Tensor.empty([rows, cols], .float32)
    let p = out.pointer(Float.self)
    for r in 0..<rows { dequantizeRow(r, into: p + r * cols) }
    return out
  }

  /// Rows `ids` decoded into a (…, cols) tensor laid out as `shape` + [cols] (an embedding lookup
  /// on a quantized table, as ggml's `get_rows`).
  public func gatherRows(_ ids: [Int], shape: [Int]) -> Tensor {
    precondition(Shape.count(shape) == ids.count, "gatherRows: \(ids.count) ids do not fill shape \(shape)")
    let out = Tensor.empty(shape + [cols], .float32)
    let p = out.pointer(Float.self)
    for (i, id) in ids.enumerated() {
      precondition(id >= 0 && id < rows, "gatherRows: id \(id) outside 0..<\(rows)")
      dequantizeRow(id, into: p + i * cols)
    }
    return out
  }
}

/// A malformed quantized matrix (shape and byte count disagree).
public struct QuantizedMatrixError: Error, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }
}
