/// Softmax and log-softmax over the last axis, numerically stable (subtract the row maximum).
extension Tensor {
  /// softmax(x)_j = exp(x_j − m) / Σ_k exp(x_k − m), m = max_k x_k, over the last axis.
  /// Backward: dx = y ⊙ (g − Σ_j g_j y_j).
  public func softmax() -> Tensor {
    let out = softmaxRows(log: false)
    return Tensor.record(out, "softmax", [self]) { g in
      let dot = (g * out).sum(axis: -1, keepDims: true)
      return [out * (g - dot)]
    }
  }

  /// log softmax(x)_j = x_j − m − log Σ_k exp(x_k − m), over the last axis.
  /// Backward: dx = g − softmax(x) · Σ_j g_j.
  public func logSoftmax() -> Tensor {
    let out = softmaxRows(log: true)
    return Tensor.record(out, "logSoftmax", [self]) { g in
      [g - out.exp() * g.sum(axis: -1, keepDims: true)]
    }
  }

  func softmaxRows(log: Bool) -> Tensor {
    precondition(rank >= 1, "softmax needs rank ≥ 1, shape is \(shape)")
    let n = shape[rank - 1]
    let rows = n == 0 ? 0 : count / n
    let out = Tensor.empty(shape, dtype)
    func kernel<S: TensorScalar>(_: S.Type) {
      let (px, po) = (pointer(S.self), out.pointer(S.self))
      for r in 0..<rows {
        let (x, y) = (px + r * n, po + r * n)
        // Work relative to the row maximum: x − m is exact, so large logits lose no precision.
        var m = -S.infinity
        for j in 0..<n where x[j] > m { m = x[j] }
        var sum: S = 0
        for j in 0..<n { sum += S.exp(x[j] - m) }
        if log {
          let logSum = S.log(sum)
          for j in 0..<n { y[j] = (x[j] - m) - logSum }
        } else {
          let inv = 1 / sum
          for j in 0..<n { y[j] = S.exp(x[j] - m) * inv }
        }
      }
    }
    switch dtype {
    case .float32: kernel(Float.self)
    case .float64: kernel(Double.self)
    }
    return out
  }
}

/// log Σ exp(x_j) of one row, stable: m + log Σ exp(x_j − m). Rows of all −∞ give −∞.
@inline(__always)
func logSumExp<S: TensorScalar>(_ x: UnsafePointer<S>, _ n: Int) -> S {
  var m = -S.infinity
  for j in 0..<n where x[j] > m { m = x[j] }
  if m == -S.infinity { return m }
  var s: S = 0
  for j in 0..<n { s += S.exp(x[j] - m) }
  return m + S.log(s)
}
