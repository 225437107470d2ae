import Rollouts

/// Offline-RL data selection of S²R (spec §5.2, `tools/process_offline_trainset.py`).
///
/// Reward strings name each content action in order: `R+`/`R-` for a right/wrong attempt, `V+`/`V-`
/// for a verification whose verdict matches/misses its attempt (read by the one `S2RVerdictParser`;
/// the official offline parser's off-by-one positional fallback, §5.2 step 2, is not reproduced).
public enum S2ROfflineFilter {
  /// Problems whose sampled accuracy lies in `band` (paper Table 11: [0.1, 0.7]).
  ///
  /// Example: 0.125 (1 of 8) → kept; 0.75 (6 of 8) → dropped; 0 → dropped.
  public static func inAccuracyBand(_ accuracy: Double, band: ClosedRange<Double> = 0.1...0.7) -> Bool {
    band.contains(accuracy)
  }

  /// The reward string of a scored rollout, e.g. `"R-V+R+V+"`.
  public static func rewardString(_ rollout: S2RScoredRollout) -> String {
    rollout.content.map { ($0.action.kind == .solve ? "R" : "V") + ($0.reward > 0 ? "+" : "-") }.joined()
  }

  /// Number of content actions to keep (spec §5.2 step 3): through the first `R+V+`; if there is none
  /// but some `R+`, through the verification after the last `R+` (or the `R+` itself when it ends the
  /// string); nil when there is no `R+` (a negative, kept whole).
  ///
  /// Example: `"R-V+R+V+R-V-"` → 4; `"R+V-R-V+R+V-"` → 6; `"R+V-R+"` → 3; `"R-V+"` → nil.
  public static func keptActions(_ rewardString: String) -> Int? {
    let a = actions(rewardString)
    if let i = a.indices.first(where: { a[$0] == "R+" && $0 + 1 < a.count && a[$0 + 1] == "V+" }) {
      return i + 2
    }
    guard let j = a.lastIndex(of: "R+") else { return nil }
    return min(j + 2, a.count)
  }

  /// Strictly alternating `R?V?R?V?…` starting with an attempt, at most `maxActions` actions (the
  /// official code rejects strings longer than 20 characters = 10 actions; the paper says 20 actions).
  ///
  /// Example: `"R-V+R+V+"` → true; `"R-R+V+"` → false; `"V+R+"` → false.
  public static func isWellFormed(_ rewardString: String, maxActions: Int = 10) -> Bool {
    let a = actions(rewardString)
    guard !a.isEmpty, a.count <= maxActions, a.joined() == rewardString else { return false }
    return a.enumerated().allSatisfy { $0.element.hasPrefix($0.offset % 2 == 0 ? "R" : "V") }
  }

  /// Negative balancing (`use_data_balance`): when negatives ≥ positives, a uniform random subset of
  /// the negatives of the positives' size (original order kept); else all negatives.
  ///
  /// Example: 2 positives, negatives [a, b, c, d] → 2 of them; 3 positives, negatives [a, b] → [a, b].
  public static func balancedNegatives<T>(
    positives: Int, negatives: [T], using rng: inout some RandomNumberGenerator
  ) -> [T] {
    guard negatives.count >= positives else { return negatives }
    let chosen = Array(negatives.indices).shuffled(using: &rng).prefix(positives).sorted()
    return chosen.map { negatives[$0] }
  }

  /// The response-token end of the first `count` content actions (where to cut a kept trajectory).
  ///
  /// Example: actions solve 0..<3, marker 3..<4, verify 4..<6, … with count 2 → 6.
  public static func tokenEnd(_ parsed: S2RParsedResponse, contentActions count: Int) -> Int {
    var seen = 0
    for a in parsed.actions where a.kind != .marker {
      seen += 1
      if seen == count { return a.tokenRange.upperBound }
    }
    return parsed.responseEnd
  }

  static func actions(_ s: String) -> [String] {
    var out: [String] = []
    var chars = Array(s)[...]
    while chars.count >= 2 {
      out.append(String(chars.prefix(2)))
      chars = chars.dropFirst(2)
    }
    if !chars.isEmpty { out.append(String(chars)) }
    return out
  }
}
