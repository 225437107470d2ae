/// The row permutation llama.cpp's converter applies to LLaMA query/key projections, and its inverse.
///
/// Hugging Face LLaMA applies RoPE in "rotate-half" form: within each head of size `hd`, dimension `i`
/// pairs with `i + hd/2`. ggml's original RoPE pairs adjacent dimensions `2i, 2i+1`, so
/// convert_hf_to_gguf.py (`LlamaModel.permute`) reorders the output rows of `q_proj` (with `n_head`)
/// and `k_proj` (with `n_head_kv`):
///
///     w.reshape(n_head, 2, hd/2, *rest).swapaxes(1, 2).reshape(w.shape)
///
/// i.e. GGUF row `h·hd + 2i + j` holds HF row `h·hd + j·hd/2 + i` (j ∈ {0, 1}, i < hd/2).
/// Example with one head of size 4: HF rows [r0, r1, r2, r3] are stored as [r0, r2, r1, r3].
/// Only whole rows move, so the permutation applies equally to float data and to quantised rows.
public enum RoPEPermutation {
  /// For HF row `row` of a projection with `rows` rows split into `heads` heads, the GGUF row that
  /// holds it. `rows` must be divisible by `heads` and the head size must be even.
  @inline(__always)
  public static func ggufRow(forHuggingFaceRow row: Int, rows: Int, heads: Int) -> Int {
    let headDim = rows / heads
    let half = headDim / 2
    let head = row / headDim
    let within = row % headDim
    let j = within / half
    let i = within % half
    return head * headDim + 2 * i + j
  }

  /// Checks that the permutation is defined for this shape.
  public static func validate(rows: Int, heads: Int, tensor: String) throws {
    guard heads > 0, rows % heads == 0, (rows / heads) % 2 == 0 else {
      throw CheckpointError.invalidTensor(
        name: tensor,
        reason: "cannot undo the RoPE permutation: \(rows) rows over \(heads) heads (head size must be even)")
    }
  }

  /// Undoes the converter's permutation on `rows` rows of `rowBytes` bytes each: the result is in
  /// Hugging Face order. Works on any element type, including quantised blocks.
  public static func unpermuteRows(_ bytes: UnsafeRawBufferPointer, rows: Int, heads: Int, rowBytes: Int)
    -> [UInt8]
  {
    precondition(bytes.count == rows * rowBytes)
    var out = [UInt8](repeating: 0, count: bytes.count)
    out.withUnsafeMutableBytes { dst in
      for row in 0..<rows {
        let src = ggufRow(forHuggingFaceRow: row, rows: rows, heads: heads)
        dst.baseAddress!.advanced(by: row * rowBytes).copyMemory(
          from: bytes.baseAddress!.advanced(by: src * rowBytes), byteCount: rowBytes)
      }
    }
    return out
  }

  /// Undoes the permutation on Float rows (`values.count == rows · rowLength`).
  public static func unpermute(_ values: [Float], rows: Int, heads: Int) -> [Float] {
    let rowLength = rows == 0 ? 0 : values.count / rows
    var out = values
    for row in 0..<rows {
      let src = ggufRow(forHuggingFaceRow: row, rows: rows, heads: heads)
      out[(row * rowLength)..<((row + 1) * rowLength)] = values[(src * rowLength)..<((src + 1) * rowLength)]
    }
    return out
  }

  /// Applies the converter's permutation (HF order → GGUF order); the inverse of `unpermute`.
  public static func permute(_ values: [Float], rows: Int, heads: Int) -> [Float] {
    let rowLength = rows == 0 ? 0 : values.count / rows
    var out = values
    for row in 0..<rows {
      let dst = ggufRow(forHuggingFaceRow: row, rows: rows, heads: heads)
      out[(dst * rowLength)..<((dst + 1) * rowLength)] = values[(row * rowLength)..<((row + 1) * rowLength)]
    }
    return out
  }
}
