import Foundation

/// Per-token KL estimators between the policy π_θ and the reference π_ref on *sampled* tokens
/// (Schulman, "Approximating KL divergence", 2020), as SCoRe's RLOO KL penalty uses them (spec §2.7,
/// §8: k1 inside the β1 reward term, differentiable k3 for the β2 pin).
public enum SCoReKL {
  /// k1 = log π_θ(y) − log π_ref(y): unbiased for KL(π_θ ‖ π_ref) but can be negative per token.
  ///
  /// Example: `k1(logProb: -1, refLogProb: -2)` is `1`; `k1(logProb: -2, refLogProb: -1)` is `-1`.
  public static func k1(logProb: Double, refLogProb: Double) -> Double { logProb - refLogProb }

  /// k3 = exp(Δ) − Δ − 1 with Δ = log π_ref(y) − log π_θ(y): unbiased, always ≥ 0, 0 iff equal.
  ///
  /// Example: `k3(logProb: -1, refLogProb: -2)` (Δ = −1) is `e⁻¹ + 1 − 1 = 0.36788`;
  /// `k3(logProb: -2, refLogProb: -1)` (Δ = 1) is `e − 2 = 0.71828`.
  public static func k3(logProb: Double, refLogProb: Double) -> Double {
    let delta = refLogProb - logProb
    return Foundation.exp(delta) - delta - 1
  }

  /// Σ_t k1 over one attempt's tokens: the sequence KL that enters the return as −β1·KL.
  ///
  /// Example: `k1Sum(logProbs: [-1, -0.5], refLogProbs: [-2, -0.25])` is `1 − 0.25 = 0.75`.
  public static func k1Sum(logProbs: [Double], refLogProbs: [Double]) throws -> Double {
    try checkLengths(logProbs, refLogProbs)
    var s = 0.0
    for i in logProbs.indices { s += logProbs[i] - refLogProbs[i] }
    return s
  }

  /// Σ_t k3 over one attempt's tokens.
  ///
  /// Example: `k3Sum(logProbs: [-1, -2], refLogProbs: [-2, -1])` is `e⁻¹ + e − 2 = 1.08616`.
  public static func k3Sum(logProbs: [Double], refLogProbs: [Double]) throws -> Double {
    try checkLengths(logProbs, refLogProbs)
    var s = 0.0
    for i in logProbs.indices { s += k3(logProb: logProbs[i], refLogProb: refLogProbs[i]) }
    return s
  }

  static func checkLengths(_ a: [Double], _ b: [Double]) throws {
    guard a.count == b.count else {
      throw SCoReTrainingError.lengthMismatch("policy log-probs \(a.count) vs reference log-probs \(b.count)")
    }
  }
}

/// Bad input to the SCoRe reward and data functions.
public enum SCoReTrainingError: Error, Equatable, CustomStringConvertible {
  case lengthMismatch(String)
  case invalidStage(String)
  case unknownProblem(String)

  public var description: String {
    switch self {
    case .lengthMismatch(let s): return "length mismatch: \(s)"
    case .invalidStage(let s): return "invalid SCoRe stage: \(s)"
    case .unknownProblem(let id): return "episode refers to unknown problem id \"\(id)\""
    }
  }
}
