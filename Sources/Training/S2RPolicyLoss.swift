/// Reference (scalar) versions of the S²R RL losses over one rollout, with the gradient w.r.t. each
/// token's log π_θ, so a trainer's tensor version can be tested against them (spec §4.4, §4.5).
public enum S2RPolicyLoss {
  /// ORL: `ℓ = −min(ρ·adv, clip(ρ)·adv) · weight` with ρ over the masked tokens' mean log-probs and
  /// `adv` already KL-shaped (`S2RAdvantages.klShaped`). Gradient is `weight · dℓ/dm / n` on each
  /// masked token, 0 elsewhere.
  ///
  /// Example: mask [1,1,0], new = old = [−1,−1,−5], adv 0.5, weight 1 → ρ = 1, ℓ = −0.5, gradient
  /// [−0.25, −0.25, 0].
  public static func outcome(
    mask: [Bool], newLogProbs: [Double], oldLogProbs: [Double], advantage: Double, weight: Double = 1,
    epsilon: Double = 0.2
  ) -> (loss: Double, gradient: [Double]) {
    let idx = mask.indices.filter { mask[$0] }
    guard !idx.isEmpty else { return (0, Array(repeating: 0, count: mask.count)) }
    let (v, n) = surrogate(idx, newLogProbs, oldLogProbs, advantage, epsilon)
    var g = [Double](repeating: 0, count: mask.count)
    for t in idx { g[t] = weight * v.derivative / n }
    return (weight * v.loss, g)
  }

  /// PRL: for each part p of `targets` (markers included when `includeMarkerPart`, as the official
  /// code does), `A_p = R_p − β · Σ_{t∈p}(log π_old − log π_ref)`, ρ_p over the part, clipped
  /// surrogate ℓ_p; rollout loss `Σ_p ℓ_p / (number of parts) · validWeight` (spec §4.5).
  ///
  /// Example: parts {1: tokens 0–1, reward −1}, {3: token 2, reward 1}, new = old = ref, β any →
  /// ℓ_1 = 1, ℓ_3 = −1, loss 0; gradient [0.25, 0.25, −0.5].
  public static func process(
    targets: S2RTokenTargets, newLogProbs: [Double], oldLogProbs: [Double], refLogProbs: [Double],
    beta: Double,
    epsilon: Double = 0.2, includeMarkerPart: Bool = true, validWeight: Double = 1
  ) -> (loss: Double, gradient: [Double]) {
    let parts = targets.parts(includeMarkers: includeMarkerPart)
    var g = [Double](repeating: 0, count: targets.lossMask.count)
    guard !parts.isEmpty else { return (0, g) }
    let scale = validWeight / Double(parts.count)
    var loss = 0.0
    for (_, pos) in parts {
      let r = pos.reduce(0) { $0 + targets.reward[$1] } / Double(pos.count)
      let a = S2RAdvantages.klShaped(
        advantage: r, oldLogProbs: pos.map { oldLogProbs[$0] }, refLogProbs: pos.map { refLogProbs[$0] },
        beta: beta)
      let (v, n) = surrogate(pos, newLogProbs, oldLogProbs, a, epsilon)
      loss += v.loss * scale
      for t in pos { g[t] = scale * v.derivative / n }
    }
    return (loss, g)
  }

  static func surrogate(_ idx: [Int], _ new: [Double], _ old: [Double], _ a: Double, _ eps: Double) -> (
    S2RClippedSurrogate.Value, Double
  ) {
    let n = Double(idx.count)
    let m = idx.reduce(0) { $0 + new[$1] } / n
    let mo = idx.reduce(0) { $0 + old[$1] } / n
    return (S2RClippedSurrogate.evaluate(meanLogProb: m, meanOldLogProb: mo, advantage: a, epsilon: eps), n)
  }
}
