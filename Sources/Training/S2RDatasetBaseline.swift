import Foundation

/// Offline-RL baselines computed once over the whole sampled set (spec §5.3): the mean raw reward of
/// the actions sharing a key; a group with fewer than `minCount` members gets baseline 0.
///
/// Keys: problem accuracy bin (the accuracy value, e.g. 0.375 = 3 of 8), action position (1-based),
/// reward context (`S2RRewardContextBaseline.entries`), or accuracy × position / accuracy × context.
///
/// Example (minCount 2, key .position): entries (pos 1, r 1), (pos 1, r −1), (pos 1, r 1), (pos 2,
/// r 1) → baseline(pos 1) = 1/3, baseline(pos 2) = 0 (one member).
public struct S2RDatasetBaseline: Sendable, Codable, Equatable {
  public enum Key: String, Sendable, Codable, CaseIterable {
    case accuracy, position, rewardContext, accuracyPosition, accuracyRewardContext
  }

  public struct Entry: Sendable, Codable, Equatable {
    public var accuracy: Double
    public var position: Int
    public var context: String
    public var reward: Double
    public init(accuracy: Double, position: Int, context: String, reward: Double) {
      self.accuracy = accuracy
      self.position = position
      self.context = context
      self.reward = reward
    }
  }

  public var key: Key
  public var minCount: Int
  public var sums: [String: Double] = [:]
  public var counts: [String: Int] = [:]

  public init(entries: [Entry], key: Key, minCount: Int = 10) {
    self.key = key
    self.minCount = minCount
    for e in entries {
      let k = Self.groupKey(e, key)
      sums[k, default: 0] += e.reward
      counts[k, default: 0] += 1
    }
  }

  public func baseline(for e: Entry) -> Double {
    let k = Self.groupKey(e, key)
    guard let n = counts[k], n >= minCount, n > 0 else { return 0 }
    return sums[k, default: 0] / Double(n)
  }

  static func groupKey(_ e: Entry, _ key: Key) -> String {
    let acc = String(format: "%.6f", e.accuracy)
    switch key {
    case .accuracy: return "a" + acc
    case .position: return "p\(e.position)"
    case .rewardContext: return "c" + e.context
    case .accuracyPosition: return "a\(acc)|p\(e.position)"
    case .accuracyRewardContext: return "a\(acc)|c" + e.context
    }
  }
}
