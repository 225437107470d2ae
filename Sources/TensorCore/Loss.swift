/// Fused losses over logits: cross-entropy with ignore index and per-token weights, and the
/// per-token log-probability gather that RL needs. Both keep one log-sum-exp per row and
/// recompute softmax rows in the backward pass, so no (N, V) temporary is allocated beyond the
/// gradient itself — and with `overwritingLogits` not even that: the gradient is written over the
/// logits, which a language model's loss is the only reader of (for SmolLM2's 49,152-id vocabulary
/// that is 0.1 GB per 512 scored tokens).
public enum LossReduction: Sendable { case mean, sum }

extension Tensor {
  /// Cross-entropy of (N, V) logits against `targets` (N ids; `ignoreIndex` rows are skipped),
  /// optionally weighted per row. `.mean` divides by the total weight of the kept rows (the
  /// number of kept rows when unweighted), as PyTorch's `cross_entropy` does.
  ///
  /// `overwritingLogits`: the backward writes the gradient into these logits' buffer (shared with
  /// any view of it) instead of a new (N, V) one. Only for callers that read the logits through this
  /// loss alone and drop them after `backward()`.
  ///
  /// Example: logits [[0, 0]] and target 1 give log 2 ≈ 0.6931.
  public func crossEntropy(
    targets: [Int], weights: [Double]? = nil, ignoreIndex: Int = -100, reduction: LossReduction = .mean,
    overwritingLogits: Bool = false
  ) -> Tensor {
    precondition(rank == 2, "crossEntropy: logits must be (N, V), got \(shape)")
    let (n, v) = (shape[0], shape[1])
    precondition(targets.count == n, "crossEntropy: \(targets.count) targets for logits \(shape)")
    if let weights {
      precondition(weights.count == n, "crossEntropy: \(weights.count) weights for \(n) rows")
    }
    var lse = [Double](repeating: 0, count: n)
    var total = 0.0
    var norm = 0.0
    func forward<S: TensorScalar>(_: S.Type) {
      let p = pointer(S.self)
      for i in 0..<n where targets[i] != ignoreIndex {
        let t = targets[i]
        precondition(t >= 0 && t < v, "crossEntropy: target \(t) out of range 0..<\(v) (row \(i))")
      }
      // Rows' log-sum-exps over the cores (a 49,152-wide vocabulary makes them a visible share
      // of a step); the total is then summed serially in row order, as before the split.
      lse.withUnsafeMutableBufferPointer { out in
        ParallelLoop.run(n, grain: max(1, (1 << 14) / max(v, 1))) { rows in
          for i in rows where targets[i] != ignoreIndex { out[i] = Double(logSumExp(p + i * v, v)) }
        }
      }
      for i in 0..<n where targets[i] != ignoreIndex {
        let w = weights?[i] ?? 1
        total += w * (lse[i] - Double(p[i * v + targets[i]]))
        norm += w
      }
    }
    switch dtype {
    case .float32: forward(Float.self)
    case .float64: forward(Double.self)
    }
    let divisor = reduction == .mean ? (norm > 0 ? norm : 1) : 1
    let out = Tensor.scalar(total / divisor, dtype: dtype)
    let logits = self
    return Tensor.record(out, "crossEntropy", [logits]) { g in
      let scale = g.item() / divisor
      let grad =
        overwritingLogits
        ? Tensor(shape: [n, v], storage: logits.storage) : Tensor.empty([n, v], logits.dtype)
      func backward<S: TensorScalar>(_: S.Type) {
        let (p, d) = (logits.pointer(S.self), grad.pointer(S.self))
        ParallelLoop.run(n, grain: max(1, (1 << 14) / max(v, 1))) { rows in
          for i in rows {
            let drow = d + i * v
            guard targets[i] != ignoreIndex else {
              drow.update(repeating: 0, count: v)
              continue
            }
            // Element j is read before it is written, so d may be p.
            let (c, row, l) = (S(scale * (weights?[i] ?? 1)), p + i * v, S(lse[i]))
            for j in 0..<v { drow[j] = c * S.exp(row[j] - l) }
            drow[targets[i]] -= c
          }
        }
      }
      switch logits.dtype {
      case .float32: backward(Float.self)
      case .float64: backward(Double.self)
      }
      return [grad]
    }
  }

  /// log π(target_i) for each row of (N, V) logits: logits[i, t_i] − logsumexp(logits[i]).
  /// Returns (N). Backward: g_i · (onehot(t_i) − softmax(row_i)); `overwritingLogits` as in
  /// `crossEntropy`.
  public func tokenLogProbs(targets: [Int], overwritingLogits: Bool = false) -> Tensor {
    precondition(rank == 2, "tokenLogProbs: logits must be (N, V), got \(shape)")
    let (n, v) = (shape[0], shape[1])
    precondition(targets.count == n, "tokenLogProbs: \(targets.count) targets for logits \(shape)")
    let out = Tensor.empty([n], dtype)
    var lse = [Double](repeating: 0, count: n)
    func forward<S: TensorScalar>(_: S.Type) {
      let (p, o) = (pointer(S.self), out.pointer(S.self))
      for i in 0..<n {
        let t = targets[i]
        precondition(t >= 0 && t < v, "tokenLogProbs: target \(t) out of range 0..<\(v) (row \(i))")
      }
      lse.withUnsafeMutableBufferPointer { out in
        ParallelLoop.run(n, grain: max(1, (1 << 14) / max(v, 1))) { rows in
          for i in rows {
            let l = logSumExp(p + i * v, v)
            out[i] = Double(l)
            o[i] = p[i * v + targets[i]] - l
          }
        }
      }
    }
    switch dtype {
    case .float32: forward(Float.self)
    case .float64: forward(Double.self)
    }
    let logits = self
    return Tensor.record(out, "tokenLogProbs", [logits]) { g in
      let grad =
        overwritingLogits
        ? Tensor(shape: [n, v], storage: logits.storage) : Tensor.empty([n, v], logits.dtype)
      func backward<S: TensorScalar>(_: S.Type) {
        let (p, d, pg) = (logits.pointer(S.self), grad.pointer(S.self), g.pointer(S.self))
        ParallelLoop.run(n, grain: max(1, (1 << 14) / max(v, 1))) { rows in
          for i in rows {
            // Element j is read before it is written, so d may be p.
            let (row, drow, l, gi) = (p + i * v, d + i * v, S(lse[i]), pg[i])
            for j in 0..<v { drow[j] = -gi * S.exp(row[j] - l) }
            drow[targets[i]] += gi
          }
        }
      }
      switch logits.dtype {
      case .float32: backward(Float.self)
      case .float64: backward(Double.self)
      }
      return [grad]
    }
  }
}
