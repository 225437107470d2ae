import Foundation
import TensorCore

/// The PPO-style clipped surrogate of S²R with a mean-log-prob ratio (spec §4.4 step 4, §4.5), as a
/// scalar function with its derivative, so a trainer's tensor version can be checked against it.
///
/// `ρ = exp(clamp(m − m_old, −c, c))` with m = mean_t log π_θ(t), m_old = mean_t log π_old(t) over the
/// tokens of a sequence (ORL) or part (PRL); `ℓ = −min(ρ·A, clip(ρ, 1−ε, 1+ε)·A)`.
/// `dℓ/dm = −A·ρ` when the unclipped term is the minimum and |m − m_old| ≤ c, else 0 (the clamp and the
/// clip both stop the gradient). Per-token: `dℓ/d log π_θ(t) = (dℓ/dm) / n` for each of the n tokens.
///
/// Example: m − m_old = ln 1.5 (ρ = 1.5), ε = 0.2: A = 1 → ℓ = −1.2, dℓ/dm = 0 (clipped);
/// A = −1 → ℓ = 1.5, dℓ/dm = 1.5. ρ = 1.1, A = 2 → ℓ = −2.2, dℓ/dm = −2.2.
public enum S2RClippedSurrogate {
  public struct Value: Sendable, Equatable {
    public var loss: Double
    /// dℓ / d(mean log π_θ).
    public var derivative: Double
    public var ratio: Double
    /// Whether the clipped term was the minimum (no gradient flows).
    public var clipped: Bool
  }

  public static func evaluate(
    meanLogProb: Double, meanOldLogProb: Double, advantage a: Double, epsilon: Double = 0.2,
    logRatioClamp: Double = 10
  ) -> Value {
    let d = meanLogProb - meanOldLogProb
    let inside = d >= -logRatioClamp && d <= logRatioClamp
    let rho = exp(min(max(d, -logRatioClamp), logRatioClamp))
    let unclipped = rho * a
    let clippedTerm = min(max(rho, 1 - epsilon), 1 + epsilon) * a
    if unclipped <= clippedTerm {
      return Value(loss: -unclipped, derivative: inside ? -a * rho : 0, ratio: rho, clipped: false)
    }
    return Value(loss: -clippedTerm, derivative: 0, ratio: rho, clipped: true)
  }
}

extension S2RClippedSurrogate {
  /// The tensor form over segments, shared by online and offline RL: `means` holds each segment's
  /// mean log π_θ (differentiable), `baseMeans` the mean log-probs the ratio is taken against
  /// (π_old online, π_ref offline); loss `−Σ_s w_s · min(ρ_s · A_s, clip(ρ_s, 1 ± ε) · A_s)` with
  /// `ρ = exp(clamp(m − m_base, −10, 10))`, and the fraction of ratios outside [1 − ε, 1 + ε].
  /// `evaluate` is its per-segment scalar twin (same example values).
  public static func loss(
    means: Tensor, baseMeans: [Double], advantages: [Double], weights: [Double], epsilon: Double
  ) -> (loss: Tensor, clipFraction: Double) {
    let base = Tensor(baseMeans.map(Float.init), shape: [baseMeans.count])
    let a = Tensor(advantages.map(Float.init), shape: [advantages.count])
    let w = Tensor(weights.map(Float.init), shape: [weights.count])
    let ratio = (means - base).clamped(min: -10, max: 10).exp()
    let surrogate = Tensor.minimum(ratio * a, ratio.clamped(min: 1 - epsilon, max: 1 + epsilon) * a)
    let clipped = ratio.toDoubleArray().count { $0 < 1 - epsilon || $0 > 1 + epsilon }
    return (-(surrogate * w).sum(), Double(clipped) / Double(max(baseMeans.count, 1)))
  }
}
