import CQuantKernels

/// The forward operations of a LLaMA-family model with llama.cpp's CPU arithmetic (ggml on x86 with
/// AVX2/FMA/F16C, llama.cpp's default build; non-flash attention over an F16 KV cache): every
/// rounding step and summation order as ggml's, so that together with `quantizedMatmul` a GGUF
/// model gives llama.cpp's logits bit for bit (see CLlamaCppArithmetic.h and
/// Tests/ModelsTests/SmolLM2ParityTests.swift). Why: llama.cpp quantises activations to 8 bits
/// before every matmul, which makes the network chaotic in the last bits — a different but equally
/// accurate order moves logits by ~0.1 and flips near-tied greedy choices within 16 tokens.
///
/// Inference only (no tape entries), Float32 only. Where the CPU lacks those instructions
/// (`available` false) each op falls back to the reference op of the same name: same
/// mathematics, not the same bits.
public enum LlamaCppOps {
  /// Whether the bit-exact kernels run on this CPU.
  public static let available = rg_available() != 0

  /// RMSNorm as ggml computes it: Float squares summed in Double, scale 1/sqrtf(mean + eps), then
  /// the weight. x (…, D), weight (D).
  public static func rmsNorm(_ x: Tensor, weight: Tensor, eps: Double) -> Tensor {
    guard available, x.dtype == .float32 else { return TensorCore.rmsNorm(x, weight: weight, eps: eps) }
    let d = x.shape.last ?? 0
    precondition(weight.shape == [d], "LlamaCppOps.rmsNorm: weight \(weight.shape) vs \(x.shape)")
    let out = Tensor.empty(x.shape, .float32)
    rg_rms_norm(
      x.pointer(Float.self), weight.pointer(Float.self), d == 0 ? 0 : x.count / d, d, Float(eps),
      out.pointer(Float.self))
    return out
  }

  /// silu(gate) ⊙ up with ggml's vectorised exp.
  public static func swiglu(_ gate: Tensor, _ up: Tensor) -> Tensor {
    guard available, gate.dtype == .float32 else { return TensorCore.swiglu(gate, up) }
    precondition(gate.shape == up.shape, "LlamaCppOps.swiglu: gate \(gate.shape) vs up \(up.shape)")
    let out = Tensor.empty(gate.shape, .float32)
    let n = gate.shape.last ?? 0
    rg_swiglu(
      gate.pointer(Float.self), up.pointer(Float.self), n == 0 ? 0 : gate.count / n, n,
      out.pointer(Float.self))
    return out
  }

  /// Rotary embedding (B, T, H, D), rotate-half layout, one position per (b, t): ggml's Float
  /// angle recurrence θ ← θ·base^(−2/D) and libm cosf/sinf instead of Double angles.
  public static func rope(_ x: Tensor, positions: [Int], base: Double) -> Tensor {
    guard available, x.dtype == .float32 else { return TensorCore.rope(x, positions: positions, base: base) }
    precondition(x.rank == 4, "LlamaCppOps.rope: input must be (B, T, H, D), got \(x.shape)")
    let (b, t, h, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    precondition(d % 2 == 0 && d <= 512, "LlamaCppOps.rope: head dim \(d) must be even and ≤ 512")
    precondition(positions.count == b * t, "LlamaCppOps.rope: \(positions.count) positions for \(b)×\(t)")
    let out = Tensor.empty(x.shape, .float32)
    rg_rope(x.pointer(Float.self), out.pointer(Float.self), b * t, h, d, positions, Float(base))
    return out
  }

  /// Causal attention as ggml's non-flash path over an F16 cache: q (B, H, T, D) converted to
  /// F16, k and v (B, Hkv, capacity, D) holding F16 values, keys 0..<keyLength; query i at
  /// `queryOffset + i` sees keys keyStart[b]…queryOffset + i. Scale 1/√D. → (B, H, T, D).
  public static func attention(
    q: Tensor, k: Tensor, v: Tensor, queryOffset: Int, keyStart: [Int]?, keyLength: Int
  ) -> Tensor {
    guard available, q.dtype == .float32, q.shape[3] <= 512 else {
      return causalAttention(
        q: q.roundedToHalf(), k: k, v: v, queryOffset: queryOffset, keyStart: keyStart, keyLength: keyLength,
        halfPrecisionProbabilities: true)
    }
    let (b, h, t, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
    precondition(
      k.shape == v.shape && k.shape[0] == b && k.shape[3] == d && h % k.shape[1] == 0
        && keyLength <= k.shape[2],
      "LlamaCppOps.attention: q \(q.shape), k \(k.shape), v \(v.shape), \(keyLength) keys")
    let out = Tensor.empty(q.shape, .float32)
    let starts = keyStart ?? [Int](repeating: 0, count: b)
    precondition(starts.count == b, "LlamaCppOps.attention: \(starts.count) keyStart values for batch \(b)")
    starts.withUnsafeBufferPointer { ks in
      let args = rg_attention_args(
        q: q.pointer(Float.self), k: k.pointer(Float.self), v: v.pointer(Float.self),
        out: out.pointer(Float.self), keyStart: ks.baseAddress, heads: h, kvHeads: k.shape[1], t: t, d: d,
        cap: k.shape[2], keys: keyLength, offset: queryOffset, scale: 1 / Float(d).squareRoot())
      RowParallel.run(chunks: b * h, threads: b * h * t * keyLength * d >= 1 << 15 ? 2 : 1) { c in
        withUnsafePointer(to: args) { rg_attention($0, c) }
      }
    }
    return out
  }
}
