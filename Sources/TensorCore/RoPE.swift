import CQuantKernels
import Foundation

/// Rotary position embedding, rotate-half convention (Hugging Face LLaMA/Qwen2
/// `apply_rotary_pos_emb`): for head dim D, h = D/2 and i < h,
///   θ_i = pos · base^(−2i/D),
///   y_i = x_i cos θ_i − x_{i+h} sin θ_i,   y_{i+h} = x_{i+h} cos θ_i + x_i sin θ_i.
/// Backward is the rotation by −θ. Input (B, T, H, D); `positions` holds one position per
/// (b, t) — B·T values — so left-padded batches keep each sequence's own positions.
/// Float32 rotates in C (`rc_rope_rotate`, AVX2 where the CPU has it) from Float copies of the
/// tables — the conversions the loop below does per element — with the same bits (ElementwiseKernelTests).
public func rope(_ x: Tensor, positions: [Int], base: Double) -> Tensor {
  rope(x, positions: positions, base: base, kernel: .c)
}

func rope(_ x: Tensor, positions: [Int], base: Double, kernel: ElementwiseKernel) -> Tensor {
  precondition(x.rank == 4, "rope: input must be (B, T, H, D), got \(x.shape)")
  let (b, t, h, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
  precondition(d % 2 == 0, "rope: head dim \(d) must be even")
  precondition(positions.count == b * t, "rope: \(positions.count) positions for (B, T) = (\(b), \(t))")
  let half = d / 2
  // Angles in Double, then cos/sin per distinct position and i: (P, D/2) tables, P ≤ B·T (a batch
  // of T-token rows repeats the same T positions, so this is T·D/2 cos/sin instead of B·T·D/2).
  var slotOf: [Int: Int] = [:]
  let slots = positions.map { p in
    if let s = slotOf[p] { return s }
    slotOf[p] = slotOf.count
    return slotOf.count - 1
  }
  var cosTable = [Double](repeating: 0, count: slotOf.count * half)
  var sinTable = [Double](repeating: 0, count: slotOf.count * half)
  let invFreq = (0..<half).map { Foundation.pow(base, -2 * Double($0) / Double(d)) }
  for (p, slot) in slotOf {
    for i in 0..<half {
      let angle = Double(p) * invFreq[i]
      cosTable[slot * half + i] = Foundation.cos(angle)
      sinTable[slot * half + i] = Foundation.sin(angle)
    }
  }
  let cLevel = kernel.simd(x.dtype)  // (the loop below names its generic kernel `kernel`)
  func rotate(_ src: Tensor, sign: Double) -> Tensor {
    let out = Tensor.empty(src.shape, src.dtype)
    if let simd = cLevel {
      // Float(sign · sin) is ±Float(sin): rounding is symmetric, so the backward's table is exact.
      let (cosines, sines) = (cosTable.map { Float($0) }, sinTable.map { Float(sign * $0) })
      let (ps, po) = (src.pointer(Float.self), out.pointer(Float.self))
      ParallelLoop.run(b * t, grain: max(1, (1 << 14) / max(h * d, 1))) { rows in
        rc_rope_rotate(ps, po, slots, cosines, sines, rows.lowerBound, rows.upperBound, h, d, simd)
      }
      return out
    }
    func kernel<S: TensorScalar>(_: S.Type) {
      let (ps, po) = (src.pointer(S.self), out.pointer(S.self))
      ParallelLoop.run(b * t, grain: max(1, (1 << 14) / max(h * d, 1))) { rows in
        for r in rows {
          for head in 0..<h {
            let (base, slot) = ((r * h + head) * d, slots[r])
            for i in 0..<half {
              let c = S(cosTable[slot * half + i])
              let s = S(sign * sinTable[slot * half + i])
              let (x1, x2) = (ps[base + i], ps[base + i + half])
              po[base + i] = x1 * c - x2 * s
              po[base + i + half] = x2 * c + x1 * s
            }
          }
        }
      }
    }
    switch src.dtype {
    case .float32: kernel(Float.self)
    case .float64: kernel(Double.self)
    }
    return out
  }
  let out = rotate(x, sign: 1)
  return Tensor.record(out, "rope", [x]) { g in [rotate(g, sign: -1)] }
}
