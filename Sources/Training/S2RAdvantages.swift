/// Outcome-level (ORL) and per-part (PRL) advantages of S²R (spec §4.4, §4.5).
public enum S2RAdvantages {
  /// Rewards are clamped to this range before RLOO (spec §4.4 step 2).
  public static let rewardClamp: ClosedRange<Double> = -10...10

  /// RLOO advantages of clamped outcome rewards, groups of `groupSize` consecutive rollouts.
  ///
  /// Example: `outcome([1, 0, 0, 1], groupSize: 4)` → `[2/3, −2/3, −2/3, 2/3]`; `outcome([30, 0],
  /// groupSize: 2)` → `[10, −10]` (30 clamped to 10).
  public static func outcome(_ rewards: [Double], groupSize: Int) -> [Double] {
    RLOO.advantages(
      rewards.map { min(max($0, rewardClamp.lowerBound), rewardClamp.upperBound) }, groupSize: groupSize)
  }

  /// KL shaping (detached; sampled-token estimator): `A − β · Σ_t (log π_old(t) − log π_ref(t))`.
  /// Used for the whole response (ORL) and for one part p (PRL: `A_p = R_p − β · KL_p`).
  ///
  /// Example: A = 2/3, old = [−1, −2], ref = [−1.5, −2.5], β = 0.1 → 2/3 − 0.1 · 1 = 0.5667.
  public static func klShaped(advantage: Double, oldLogProbs: [Double], refLogProbs: [Double], beta: Double)
    -> Double
  {
    precondition(oldLogProbs.count == refLogProbs.count, "old and ref log-probs must align")
    var kl = 0.0
    for (o, r) in zip(oldLogProbs, refLogProbs) { kl += o - r }
    return advantage - beta * kl
  }

  /// ORL sample weight: 1 when the RLOO advantage (before KL shaping) is non-zero, else 0, so groups
  /// whose samples all agree contribute nothing, not even KL (spec §4.4 step 5).
  ///
  /// Example: `sampleWeight(advantage: 0)` → 0; `sampleWeight(advantage: -4/3)` → 1.
  public static func sampleWeight(advantage: Double) -> Double { advantage != 0 ? 1 : 0 }
}
