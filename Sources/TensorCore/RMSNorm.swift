/// RMSNorm (Zhang & Sennrich, 2019) as used by LLaMA: y = x / sqrt(mean(x²) + eps) ⊙ w over the
/// last axis, fused. Statistics are accumulated in Double for Float32 inputs, as Hugging Face
/// upcasts to float32 for half-precision models.
///
/// Backward with r = 1/sqrt(mean(x²)+eps), x̂ = x·r, d = g ⊙ w:
///   dw = Σ_rows g ⊙ x̂,   dx = r · (d − x̂ · mean(d ⊙ x̂)).
public func rmsNorm(_ x: Tensor, weight: Tensor, eps: Double) -> Tensor {
  let d = x.shape.last ?? 0
  precondition(weight.shape == [d], "rmsNorm: weight \(weight.shape) does not match last axis of \(x.shape)")
  precondition(x.dtype == weight.dtype, "rmsNorm: dtype \(x.dtype) vs \(weight.dtype)")
  let rows = d == 0 ? 0 : x.count / d
  let out = Tensor.empty(x.shape, x.dtype)
  var inv = [Double](repeating: 0, count: rows)
  func forward<S: TensorScalar>(_: S.Type) {
    let (px, pw, po) = (x.pointer(S.self), weight.pointer(S.self), out.pointer(S.self))
    for r in 0..<rows {
      let row = px + r * d
      var ss = 0.0
      for j in 0..<d { ss += Double(row[j]) * Double(row[j]) }
      let rr = 1 / (ss / Double(d) + eps).squareRoot()
      inv[r] = rr
      let sr = S(rr)
      for j in 0..<d { po[r * d + j] = row[j] * sr * pw[j] }
    }
  }
  switch x.dtype {
  case .float32: forward(Float.self)
  case .float64: forward(Double.self)
  }
  return Tensor.record(out, "rmsNorm", [x, weight]) { g in
    let dx = Tensor.empty(x.shape, x.dtype)
    let dw = Tensor(zeros: [d], dtype: x.dtype)
    func backward<S: TensorScalar>(_: S.Type) {
      let (px, pw, pg) = (x.pointer(S.self), weight.pointer(S.self), g.pointer(S.self))
      let (pdx, pdw) = (dx.pointer(S.self), dw.pointer(S.self))
      for r in 0..<rows {
        let (row, grow, drow) = (px + r * d, pg + r * d, pdx + r * d)
        let rr = S(inv[r])
        var dot = 0.0
        for j in 0..<d {
          let xh = row[j] * rr
          pdw[j] += grow[j] * xh
          dot += Double(grow[j] * pw[j] * xh)
        }
        let meanDot = S(dot / Double(d))
        for j in 0..<d { drow[j] = rr * (grow[j] * pw[j] - row[j] * rr * meanDot) }
      }
    }
    switch x.dtype {
    case .float32: backward(Float.self)
    case .float64: backward(Double.self)
    }
    return [dx, dw]
  }
}
