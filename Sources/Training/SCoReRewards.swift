/// SCoRe's coefficients ([P] Table 8; MATH defaults, MBPP uses β2 = 0.25 and the same α, β1).
public struct SCoReCoefficients: Sendable, Codable, Hashable {
  /// Reward-shaping strength α (> 1), Stage II.
  public var alpha: Double
  /// RLOO KL coefficient β1 on every turn (k1, inside the return).
  public var beta1: Double
  /// Stage-I KL pin β2 on the first attempt(s) (differentiable term).
  public var beta2: Double

  public init(alpha: Double = 10, beta1: Double = 0.01, beta2: Double = 0.1) {
    self.alpha = alpha
    self.beta1 = beta1
    self.beta2 = beta2
  }

  public static let math = SCoReCoefficients(alpha: 10, beta1: 0.01, beta2: 0.1)
  public static let mbpp = SCoReCoefficients(alpha: 10, beta1: 0.01, beta2: 0.25)
}

/// Which SCoRe optimisation is running (spec §2.3, §2.4, §1.5).
public enum SCoReStage: Sendable, Codable, Hashable {
  /// Stage I sub-stage s ≥ 1: rewards attempt s + 1 and KL-pins attempts 1…s (two attempts:
  /// `stageI(subStage: 1)` is Eq. 3). The pin's reference is the base model in sub-stage 1 and
  /// the previous sub-stage's model afterwards — the trainer chooses the reference log-probs.
  case stageI(subStage: Int)
  /// Stage II (Eq. 4): every attempt rewarded, shaped from attempt 2 on.
  case stageII
}

/// What one attempt contributes to the loss: a policy-gradient return (nil: no PG term for this
/// attempt) and the coefficient of the differentiable per-token KL on its tokens.
public struct SCoReTurnTerm: Sendable, Codable, Hashable {
  public var policyReturn: Double?
  public var klCoefficient: Double

  public init(policyReturn: Double?, klCoefficient: Double) {
    self.policyReturn = policyReturn
    self.klCoefficient = klCoefficient
  }
}

/// SCoRe's reward shaping and per-turn returns, with γ = 0 credit assignment ([P] App. A.4):
/// each attempt's tokens are credited with that attempt's own return only, never with a sum over
/// the episode (with α = 10 a summed return (1 − α)·r1 + (1 + α)·r2 would punish correct first
/// answers, spec §2.5).
public enum SCoReRewards {
  /// r̃2 = r2 + α·(r2 − r1) (Eq. 4).
  ///
  /// Example (α = 10): (r1, r2) = (0, 1) → 11; (1, 1) → 1; (0, 0) → 0; (1, 0) → −10.
  public static func shapedReward(r1: Double, r2: Double, alpha: Double) -> Double {
    r2 + alpha * (r2 - r1)
  }

  /// Multi-attempt shaping (spec §1.5): r̃1 = r1, r̃t = r_t + α·(r_t − r_{t−1}) for t ≥ 2.
  ///
  /// Example (α = 10): `[0, 1, 1]` → `[0, 11, 1]`; `[1, 0, 1]` → `[1, −10, 11]`.
  public static func shapedRewards(_ rewards: [Double], alpha: Double) -> [Double] {
    rewards.indices.map { t in
      t == 0 ? rewards[0] : shapedReward(r1: rewards[t - 1], r2: rewards[t], alpha: alpha)
    }
  }

  /// Per-attempt loss terms of one episode; `rewards[t]` = r̂(y_{t+1}), `kl[t]` = Σ k1 over that
  /// attempt's tokens (detached).
  ///
  /// - Stage I, sub-stage s: attempts ≤ s → no return, KL coefficient β2 + β1 (the β1 RLOO KL is
  ///   still present, spec §2.3, but with no reward it becomes part of the pin); attempt s + 1 →
  ///   return r_{s+1} − β1·KL_{s+1}, no pin; later attempts (if rolled out) → nothing.
  ///   With `relativeReturn` the rewarded attempt's return is r_{s+1} − r_s − β1·KL_{s+1}
  ///   (`SCoReTrainConfig.stageIRelativeReturn`: same expected gradient, credit for what changed).
  /// - Stage II: attempt t → return r̃_t − β1·KL_t, no pin (`relativeReturn` does not apply).
  ///
  /// Example (α = 10, β1 = 0.01, β2 = 0.1), r = [1, 0], KL = [2, 3]:
  /// Stage I → [(nil, 0.11), (0 − 0.03 = −0.03, 0)]; relative → [(nil, 0.11), (0 − 1 − 0.03 = −1.03, 0)];
  /// Stage II → [(1 − 0.02 = 0.98, 0), (0 − 10 − 0.03 = −10.03, 0)].
  public static func turnTerms(
    rewards: [Double], kl: [Double], stage: SCoReStage, coefficients c: SCoReCoefficients,
    relativeReturn: Bool = false
  ) throws -> [SCoReTurnTerm] {
    guard rewards.count == kl.count else {
      throw SCoReTrainingError.lengthMismatch("\(rewards.count) rewards vs \(kl.count) KL values")
    }
    switch stage {
    case .stageI(let s):
      guard s >= 1, s < rewards.count else {
        throw SCoReTrainingError.invalidStage(
          "Stage I sub-stage \(s) needs 1 ≤ s < attempts (\(rewards.count))")
      }
      return rewards.indices.map { t in
        if t < s { return SCoReTurnTerm(policyReturn: nil, klCoefficient: c.beta2 + c.beta1) }
        if t == s {
          let reward = relativeReturn ? rewards[t] - rewards[t - 1] : rewards[t]
          return SCoReTurnTerm(policyReturn: reward - c.beta1 * kl[t], klCoefficient: 0)
        }
        return SCoReTurnTerm(policyReturn: nil, klCoefficient: 0)
      }
    case .stageII:
      let shaped = shapedRewards(rewards, alpha: c.alpha)
      return shaped.indices.map { t in
        SCoReTurnTerm(policyReturn: shaped[t] - c.beta1 * kl[t], klCoefficient: 0)
      }
    }
  }
}
