import TensorCore

/// Hyper-parameters of AdamW (Loshchilov & Hutter, 2019).
public struct AdamWConfig: Codable, Sendable, Equatable {
  public var learningRate: Double
  public var beta1: Double
  public var beta2: Double
  public var eps: Double
  public var weightDecay: Double

  public init(
    learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
    weightDecay: Double = 0
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.eps = eps
    self.weightDecay = weightDecay
  }
}

/// AdamW with decoupled weight decay and bias correction, step for step as PyTorch's
/// `torch.optim.AdamW` (non-amsgrad):
///   p ← p·(1 − lr·wd);  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
///   p ← p − lr/(1−β₁ᵗ) · m / (sqrt(v)/sqrt(1−β₂ᵗ) + ε).
/// Parameters of rank < 2 (norm scales, biases) get no weight decay, the usual LLM practice.
/// Moments are kept in Float32 (Double for Float64 parameters).
public final class AdamW {
  public var config: AdamWConfig
  public private(set) var step = 0
  let params: [(name: String, tensor: Tensor)]
  var m: [Tensor]
  var v: [Tensor]

  public init(_ params: [(name: String, tensor: Tensor)], config: AdamWConfig) {
    self.params = params
    self.config = config
    m = params.map { Tensor(zeros: $0.tensor.shape, dtype: $0.tensor.dtype) }
    v = params.map { Tensor(zeros: $0.tensor.shape, dtype: $0.tensor.dtype) }
  }

  /// One update with the gradients currently accumulated (parameters without a gradient are
  /// skipped). `learningRate` overrides the config's (for schedules).
  public func update(learningRate: Double? = nil) {
    step += 1
    let lr = learningRate ?? config.learningRate
    let c = config
    let bc1 = 1 - Foundation_pow(c.beta1, step)
    let bc2 = 1 - Foundation_pow(c.beta2, step)
    for (i, (_, p)) in params.enumerated() {
      guard let g = p.grad else { continue }
      let decay = p.rank >= 2 ? c.weightDecay : 0
      func kernel<S: TensorScalar>(_: S.Type) {
        let (pp, pg, pm, pv) = (
          p.pointer(S.self), g.pointer(S.self), m[i].pointer(S.self), v[i].pointer(S.self)
        )
        let (b1, b2, shrink) = (S(c.beta1), S(c.beta2), S(1 - lr * decay))
        let stepSize = S(lr / bc1)
        let rootBC2 = S(bc2.squareRoot())
        let eps = S(c.eps)
        // Split over the cores: a 135M-parameter model spent ~10% of its step here on one core.
        // Each element is computed as in a serial loop, so the split changes no value.
        ParallelLoop.run(p.count) { range in
          for j in range {
            let gj = pg[j]
            pm[j] = b1 * pm[j] + (1 - b1) * gj
            pv[j] = b2 * pv[j] + (1 - b2) * gj * gj
            pp[j] = pp[j] * shrink - stepSize * pm[j] / (pv[j].squareRoot() / rootBC2 + eps)
          }
        }
      }
      switch p.dtype {
      case .float32: kernel(Float.self)
      case .float64: kernel(Double.self)
      }
    }
  }

  public func zeroGrad() { for (_, p) in params { p.grad = nil } }

  /// Moments and step count under `name.m` / `name.v`, for checkpointing and resume.
  public func state() -> (step: Int, tensors: [String: Tensor]) {
    var out: [String: Tensor] = [:]
    for (i, (name, _)) in params.enumerated() {
      out["\(name).m"] = m[i]
      out["\(name).v"] = v[i]
    }
    return (step, out)
  }

  /// Restores what `state()` returned.
  public func restore(step: Int, tensors: [String: Tensor]) throws {
    for (i, (name, p)) in params.enumerated() {
      guard let sm = tensors["\(name).m"], let sv = tensors["\(name).v"] else {
        throw ModuleError.missing(["\(name).m/.v"])
      }
      guard sm.shape == p.shape, sv.shape == p.shape else {
        throw ModuleError.shapeMismatch(name: name, expected: p.shape, got: sm.shape)
      }
      m[i].assign(sm)
      v[i].assign(sv)
    }
    self.step = step
  }
}

@inline(__always) func Foundation_pow(_ x: Double, _ n: Int) -> Double {
  var r = 1.0
  for _ in 0..<n { r *= x }
  return r
}
