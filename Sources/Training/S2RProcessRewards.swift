import Rollouts

/// Options of process-level rewards (spec §4.5). The ×2 bonuses are in the official code but not in
/// the paper (§9.9), so they are off by default.
public struct S2RProcessRewardOptions: Sendable, Codable, Equatable {
  /// ×2 on attempt j ≥ 2 whose correctness differs from the previous attempt.
  public var changedCorrectnessBonus = false
  /// ×2 on a verification of a correct attempt (whatever the verdict).
  public var verifyCorrectAttemptBonus = false
  /// Reward of the last content action of a truncated rollout (no baseline, no bonus).
  public var truncationReward: Double = -1

  public init() {}
}

/// Per-action PRL rewards: `r = R_a − b(context)`, bonuses, truncation (spec §4.5).
public enum S2RProcessRewards {
  /// One reward per action of `rollout.actions` (markers 0).
  ///
  /// Example (baseline b("R-1") = 0.2, others 0; no bonus): s1 −1, v1 +1, s2 +1 → −1, 0.8, 1 (s2's
  /// context "R-1V1" has no baseline). With both bonuses: v1 checks a wrong attempt (no ×2), s2 flips
  /// wrong → right → 2.
  public static func actionRewards(
    _ rollout: S2RScoredRollout, baseline: S2RRewardContextBaseline,
    options: S2RProcessRewardOptions = .init()
  ) -> [Double] {
    let entries = S2RRewardContextBaseline.entries(rollout)
    var out = [Double](repeating: 0, count: rollout.actions.count)
    var content = 0
    var previousAttempt: Bool?
    let lastContent = rollout.actions.lastIndex { $0.action.kind != .marker }
    for (i, a) in rollout.actions.enumerated() where a.action.kind != .marker {
      var r = a.reward - baseline.baseline(entries[content].context)
      content += 1
      if a.action.kind == .solve {
        let now = a.attemptCorrect ?? false
        if options.changedCorrectnessBonus, let prev = previousAttempt, prev != now { r *= 2 }
        previousAttempt = now
      } else if options.verifyCorrectAttemptBonus && (a.attemptCorrect ?? false) {
        r *= 2
      }
      if rollout.truncated && i == lastContent { r = options.truncationReward }
      out[i] = r
    }
    return out
  }
}

/// Per-token training targets of a rollout's response (spec §4.1–4.2): which positions enter the RL
/// loss (response tokens incl. markers, excluding the stop id and anything after it; the prompt is not
/// part of the response), each position's part index and token reward. Arrays have the length of the
/// response ids; a trainer offsets them by the prompt length.
///
/// Example: actions solve 0..<2 (part 1, r −1), marker 2..<3 (part 0, r 0), verify 3..<4 (part 3,
/// r 1), response length 5 with the stop id at 4 → mask [1,1,1,1,0], part [1,1,0,3,0],
/// reward [−1,−1,0,1,0].
public struct S2RTokenTargets: Sendable, Equatable {
  public var lossMask: [Bool]
  public var partIndex: [Int]
  public var reward: [Double]

  public init(parsed: S2RParsedResponse, responseLength: Int, actionRewards: [Double]) {
    precondition(actionRewards.count == parsed.actions.count, "one reward per action")
    lossMask = (0..<responseLength).map { $0 < parsed.responseEnd }
    partIndex = Array(repeating: 0, count: responseLength)
    reward = Array(repeating: 0, count: responseLength)
    for (a, r) in zip(parsed.actions, actionRewards) {
      for t in a.tokenRange {
        partIndex[t] = a.partIndex
        reward[t] = r
      }
    }
  }

  /// Positions of each part inside the loss mask, by part index (ascending). Empty parts are absent.
  public func parts(includeMarkers: Bool = true) -> [(part: Int, positions: [Int])] {
    var by: [Int: [Int]] = [:]
    for t in lossMask.indices where lossMask[t] && (includeMarkers || partIndex[t] != 0) {
      by[partIndex[t], default: []].append(t)
    }
    return by.keys.sorted().map { ($0, by[$0]!) }
  }
}
