import CQuantKernels

/// RMSNorm (Zhang & Sennrich, 2019) as used by LLaMA: y = x / sqrt(mean(x²) + eps) ⊙ w over the
/// last axis, fused. Statistics are accumulated in Double for Float32 inputs, as Hugging Face
/// upcasts to float32 for half-precision models.
///
/// Backward with r = 1/sqrt(mean(x²)+eps), x̂ = x·r, d = g ⊙ w:
///   dw = Σ_rows g ⊙ x̂,   dx = r · (d − x̂ · mean(d ⊙ x̂)).
/// Float32 runs the same arithmetic in C (`rc_rms_norm_*`, four rows' sums at once, AVX2 where the
/// CPU has it: ElementwiseKernelTests pins the bits to the generic loops below, which serve Float64).
public func rmsNorm(_ x: Tensor, weight: Tensor, eps: Double) -> Tensor {
  rmsNorm(x, weight: weight, eps: eps, kernel: .c)
}

func rmsNorm(_ x: Tensor, weight: Tensor, eps: Double, kernel: ElementwiseKernel) -> Tensor {
  let d = x.shape.last ?? 0
  precondition(weight.shape == [d], "rmsNorm: weight \(weight.shape) does not match last axis of \(x.shape)")
  precondition(x.dtype == weight.dtype, "rmsNorm: dtype \(x.dtype) vs \(weight.dtype)")
  let rows = d == 0 ? 0 : x.count / d
  let out = Tensor.empty(x.shape, x.dtype)
  var inv = [Double](repeating: 0, count: rows)
  // At least 2¹⁴ values per chunk: rows for the row loops, columns for dw's column loop.
  let (grain, columnGrain) = (max(1, (1 << 14) / max(d, 1)), max(1, (1 << 14) / max(rows, 1)))
  func forward<S: TensorScalar>(_: S.Type) {
    let (px, pw, po) = (x.pointer(S.self), weight.pointer(S.self), out.pointer(S.self))
    inv.withUnsafeMutableBufferPointer { pinv in
      ParallelLoop.run(rows, grain: grain) { range in
        for r in range {
          let row = px + r * d
          var ss = 0.0
          for j in 0..<d { ss += Double(row[j]) * Double(row[j]) }
          let rr = 1 / (ss / Double(d) + eps).squareRoot()
          pinv[r] = rr
          let sr = S(rr)
          for j in 0..<d { po[r * d + j] = row[j] * sr * pw[j] }
        }
      }
    }
  }
  if let simd = kernel.simd(x.dtype) {
    let (px, pw, po) = (x.pointer(Float.self), weight.pointer(Float.self), out.pointer(Float.self))
    inv.withUnsafeMutableBufferPointer { pinv in
      ParallelLoop.run(rows, grain: grain) { r in
        rc_rms_norm_forward(px, pw, po, pinv.baseAddress, r.lowerBound, r.upperBound, d, eps, simd)
      }
    }
  } else {
    switch x.dtype {
    case .float32: forward(Float.self)
    case .float64: forward(Double.self)
    }
  }
  return Tensor.record(out, "rmsNorm", [x, weight]) { g in
    let dx = Tensor.empty(x.shape, x.dtype)
    let dw = Tensor(zeros: [d], dtype: x.dtype)
    func backward<S: TensorScalar>(_: S.Type) {
      let (px, pw, pg) = (x.pointer(S.self), weight.pointer(S.self), g.pointer(S.self))
      let (pdx, pdw) = (dx.pointer(S.self), dw.pointer(S.self))
      // dx row by row; dw column by column, each column summed over the rows in order (the
      // serial loop's order), so both split over threads without changing a bit.
      ParallelLoop.run(rows, grain: grain) { range in
        for r in range {
          let (row, grow, drow) = (px + r * d, pg + r * d, pdx + r * d)
          let rr = S(inv[r])
          var dot = 0.0
          for j in 0..<d { dot += Double(grow[j] * pw[j] * (row[j] * rr)) }
          let meanDot = S(dot / Double(d))
          for j in 0..<d { drow[j] = rr * (grow[j] * pw[j] - row[j] * rr * meanDot) }
        }
      }
      ParallelLoop.run(d, grain: columnGrain) { columns in
        for r in 0..<rows {
          let (row, grow, rr) = (px + r * d, pg + r * d, S(inv[r]))
          for j in columns { pdw[j] += grow[j] * (row[j] * rr) }
        }
      }
    }
    if let simd = kernel.simd(x.dtype) {
      let (px, pw, pg) = (x.pointer(Float.self), weight.pointer(Float.self), g.pointer(Float.self))
      let (pdx, pdw) = (dx.pointer(Float.self), dw.pointer(Float.self))
      inv.withUnsafeBufferPointer { pinv in
        ParallelLoop.run(rows, grain: grain) { r in
          rc_rms_norm_backward_rows(px, pw, pg, pinv.baseAddress, pdx, r.lowerBound, r.upperBound, d, simd)
        }
        ParallelLoop.run(d, grain: columnGrain) { c in
          rc_rms_norm_backward_weight(
            px, pg, pinv.baseAddress, pdw, rows, d, c.lowerBound, c.upperBound, simd)
        }
      }
    } else {
      switch x.dtype {
      case .float32: backward(Float.self)
      case .float64: backward(Double.self)
      }
    }
    return [dx, dw]
  }
}
