/// REINFORCE leave-one-out baselines (Ahmadian et al. 2024, "Back to Basics"; SCoRe spec §2.1):
/// the advantage of sample j is its return minus the mean return of the other k − 1 samples of
/// the same prompt. SCoRe applies it per turn within a problem's k-group (spec §2.7).
public enum SCoReRLOO {
  /// A_j = R_j − mean_{m≠j} R_m = (k·R_j − ΣR) / (k − 1).
  /// With k = 1 there is no other sample, so the baseline is 0 and A = R (plain REINFORCE) — the
  /// choice keeps a single-sample group usable instead of dividing by zero.
  ///
  /// Example: `advantages([1, 0, 0, 1])` is `[2/3, −2/3, −2/3, 2/3]` (e.g. A_0 = 1 − (0+0+1)/3).
  public static func advantages(_ returns: [Double]) -> [Double] {
    let k = returns.count
    if k <= 1 { return returns }
    let total = returns.reduce(0, +)
    let scale = 1 / Double(k - 1)
    return returns.map { (Double(k) * $0 - total) * scale }
  }

  /// Leave-one-out advantages computed separately within each group; `groups[i]` names the group
  /// of `returns[i]` (e.g. the problem id). Output order matches input order.
  ///
  /// Example: `groupedAdvantages([1, 3, 5, 5], groups: ["a", "b", "a", "b"])` is `[−4, −2, 4, 2]`.
  public static func groupedAdvantages<G: Hashable>(_ returns: [Double], groups: [G]) throws -> [Double] {
    guard returns.count == groups.count else {
      throw SCoReTrainingError.lengthMismatch("\(returns.count) returns vs \(groups.count) group labels")
    }
    var members: [G: [Int]] = [:]
    for (i, g) in groups.enumerated() { members[g, default: []].append(i) }
    var out = [Double](repeating: 0, count: returns.count)
    for indices in members.values {
      let a = advantages(indices.map { returns[$0] })
      for (n, i) in indices.enumerated() { out[i] = a[n] }
    }
    return out
  }
}
