/// Adaptive β2 for Stage I ([P] §5.3 mentions balancing the turn-1 KL against the turn-2 policy
/// gradient; the rule is [OURS], spec §2.3): keep β2·KL1 ≈ |PG2|.
///
/// Two exponential moving averages (decay 0.99), one of |PG2 loss| and one of |KL1|, both started
/// at 0; after each step β2 = EMA|PG2| / EMA|KL1|, clamped to [minBeta2, maxBeta2]. Averaging the
/// two magnitudes separately, not their ratio, matters: at step 0 the policy equals the reference,
/// so KL1 = 0 and a per-step ratio would be infinite. Both EMAs share the same start and decay, so
/// Adam-style bias corrections cancel in the ratio and are not needed. While EMA|KL1| ≤ 1e-12 β2
/// keeps its value.
public struct SCoReAdaptiveBeta2: Sendable, Codable, Hashable {
  public var beta2: Double
  public var decay: Double
  public var minBeta2: Double
  public var maxBeta2: Double
  public private(set) var policyGradientEMA: Double = 0
  public private(set) var klEMA: Double = 0

  public init(beta2: Double, decay: Double = 0.99, minBeta2: Double = 1e-4, maxBeta2: Double = 10) {
    self.beta2 = beta2
    self.decay = decay
    self.minBeta2 = minBeta2
    self.maxBeta2 = maxBeta2
  }

  /// Folds in one step's |PG2 loss| and mean first-turn KL and returns the β2 for the next step.
  ///
  /// Example (β2 = 0.1, decay 0.99): `update(pg: 2, kl1: 0)` → EMAs (0.02, 0), β2 stays 0.1;
  /// then `update(pg: 1, kl1: 0.5)` → EMAs (0.0298, 0.005), β2 = 5.96.
  @discardableResult
  public mutating func update(policyGradientLoss pg: Double, firstTurnKL kl1: Double) -> Double {
    guard pg.isFinite, kl1.isFinite else { return beta2 }
    policyGradientEMA = decay * policyGradientEMA + (1 - decay) * abs(pg)
    klEMA = decay * klEMA + (1 - decay) * abs(kl1)
    if klEMA > 1e-12 {
      beta2 = min(max(policyGradientEMA / klEMA, minBeta2), maxBeta2)
    }
    return beta2
  }
}
