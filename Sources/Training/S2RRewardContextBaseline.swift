import Rollouts

/// The name the integrator's trainer uses.
public typealias RewardContextBaseline = S2RRewardContextBaseline

/// PRL's history-keyed running baseline (spec §4.5, paper eq. 4): the context of an action is the
/// string of raw rewards of the earlier actions of its rollout (`R1`/`R-1` attempts, `V1`/`V-1`
/// verifications); b(context) is the running mean of the raw reward of every action ever seen with
/// that context across RL iterations, used once its count reaches `minCount` (else 0). Score a batch
/// with the current statistics, then `update` with the batch's raw rewards. Codable: save it with
/// the checkpoint (the official `prefix_baseline.json`).
///
/// Example: after updates ("R-1", +1) ×6 and ("R-1", −1) ×4 with minCount 10, `baseline("R-1")` is
/// (6 − 4)/10 = 0.2; `baseline("")` is 0 (never seen).
public struct S2RRewardContextBaseline: Sendable, Codable, Equatable {
  public var sums: [String: Double] = [:]
  public var counts: [String: Int] = [:]
  /// A context's mean is used only from this many observations on (official: 10).
  public var minCount: Int
  /// Only these contexts are tracked (the official code hard-codes 164); nil tracks every context.
  public var whitelist: Set<String>?

  public init(minCount: Int = 10, whitelist: Set<String>? = nil) {
    self.minCount = minCount
    self.whitelist = whitelist
  }

  public func baseline(_ context: String) -> Double {
    guard let n = counts[context], n >= minCount, n > 0 else { return 0 }
    return sums[context, default: 0] / Double(n)
  }

  public mutating func update(_ entries: [(context: String, reward: Double)]) {
    for e in entries where whitelist?.contains(e.context) ?? true {
      sums[e.context, default: 0] += e.reward
      counts[e.context, default: 0] += 1
    }
  }

  /// Contexts and raw rewards of the content actions of a scored rollout, in order.
  ///
  /// Example: rewards s1 −1, v1 +1, s2 +1 → [("", −1), ("R-1", 1), ("R-1V1", 1)].
  public static func entries(_ rollout: S2RScoredRollout) -> [(context: String, reward: Double)] {
    var context = ""
    var out: [(String, Double)] = []
    for a in rollout.content {
      out.append((context, a.reward))
      context += (a.action.kind == .solve ? "R" : "V") + String(Int(a.reward.rounded()))
    }
    return out
  }
}
