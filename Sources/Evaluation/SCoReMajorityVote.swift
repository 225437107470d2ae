/// Self-consistency (majority vote over final answers) for SCoRe's inference-compute scaling
/// comparison ([P] §6.2, Fig. 1 right; spec §3.3).
public enum SCoReMajorityVote {
  /// The answer of the largest equivalence class. Answers are grouped greedily in order: each joins
  /// the first class whose representative (its first member) it is `equivalent` to, else opens a
  /// new class — so a non-transitive checker still gives a deterministic result. Ties go to the
  /// class whose first member came first. nil answers (nothing extracted) abstain; all nil → nil.
  ///
  /// Example (string equality): `["3", nil, "4", "4", "3"]` → classes {3: 2, 4: 2}, tie → `"3"`;
  /// with `equivalent` = MathGrader, `["0.5", "\\frac12", "1"]` → `"0.5"`.
  public static func vote(_ answers: [String?], equivalent: (String, String) -> Bool) -> String? {
    var representatives: [String] = []
    var counts: [Int] = []
    for case let answer? in answers {
      if let c = representatives.firstIndex(where: { equivalent($0, answer) }) {
        counts[c] += 1
      } else {
        representatives.append(answer)
        counts.append(1)
      }
    }
    guard
      let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) })
    else { return nil }
    return representatives[best]
  }

  /// Parallel sampling at a budget of `budget` generations: the first `budget` independent first
  /// attempts vote. Returns nil when fewer were sampled.
  ///
  /// Example: `parallelPool(firstAttempts: ["a", "b", "c"], budget: 2)` is `["a", "b"]`.
  public static func parallelPool(firstAttempts: [String?], budget: Int) -> [String?]? {
    guard budget >= 0, firstAttempts.count >= budget else { return nil }
    return Array(firstAttempts.prefix(budget))
  }

  /// Sequential + parallel at a budget of 2K generations: K episodes (first attempt, one
  /// self-correction) — the second-attempt answers vote; with `includeFirst` the first attempts
  /// vote too ([OURS]: the paper does not say). `episodes[e]` = answers of episode e by attempt.
  /// Returns nil when fewer than K two-attempt episodes exist.
  ///
  /// Example (budget 4, K = 2): episodes [["a", "b"], ["c", "d"], ["e", "f"]] → `["b", "d"]`;
  /// with `includeFirst` → `["a", "b", "c", "d"]`.
  public static func sequentialPool(episodes: [[String?]], budget: Int, includeFirst: Bool) -> [String?]? {
    let k = budget / 2
    guard k >= 0, episodes.count >= k, episodes.prefix(k).allSatisfy({ $0.count >= 2 }) else { return nil }
    return episodes.prefix(k).flatMap { includeFirst ? [$0[0], $0[1]] : [$0[1]] }
  }

  /// Fraction of problems whose voted answer is correct; `pools[i]` are problem i's answers and
  /// `isCorrect(i, answer)` checks a voted answer against problem i's reference. No vote = wrong.
  ///
  /// Example: pools [["1", "1", "2"], ["5", nil]] with references ["1", "4"] → 0.5.
  public static func accuracy(
    pools: [[String?]], equivalent: (String, String) -> Bool, isCorrect: (Int, String) -> Bool
  ) -> Double {
    guard !pools.isEmpty else { return 0 }
    var right = 0
    for (i, pool) in pools.enumerated() {
      if let answer = vote(pool, equivalent: equivalent), isCorrect(i, answer) { right += 1 }
    }
    return Double(right) / Double(pools.count)
  }

  /// Accuracy against number of generations for both schemes of [P] Fig. 1 (right), one point per
  /// budget (2K generations: 2K first attempts vs K episodes of two attempts). `firstAttempts[i]`
  /// are problem i's independent first-attempt answers, `episodes[i]` its two-attempt episodes'
  /// answers. A budget that some problem has too few samples for is skipped.
  ///
  /// Example: one problem with reference "4", first attempts ["5", "5", "4", "4"] and episodes
  /// [["5", "4"], ["5", "4"]]: budget 4 → parallel vote over ["5", "5", "4", "4"] = "5" (tie, first
  /// class) → 0; sequential vote over ["4", "4"] → 1.
  public static func scalingCurve(
    budgets: [Int], firstAttempts: [[String?]], episodes: [[[String?]]], includeFirst: Bool,
    equivalent: (String, String) -> Bool, isCorrect: (Int, String) -> Bool
  ) -> [SCoReScalingPoint] {
    var points: [SCoReScalingPoint] = []
    for budget in budgets {
      let parallel = firstAttempts.map { parallelPool(firstAttempts: $0, budget: budget) }
      let sequential = episodes.map {
        sequentialPool(episodes: $0, budget: budget, includeFirst: includeFirst)
      }
      guard parallel.count == sequential.count, parallel.allSatisfy({ $0 != nil }),
        sequential.allSatisfy({ $0 != nil })
      else { continue }
      points.append(
        SCoReScalingPoint(
          generations: budget,
          parallel: accuracy(pools: parallel.map { $0 ?? [] }, equivalent: equivalent, isCorrect: isCorrect),
          sequential: accuracy(
            pools: sequential.map { $0 ?? [] }, equivalent: equivalent, isCorrect: isCorrect)))
    }
    return points
  }
}

/// Majority-vote accuracy at one generation budget for both sampling schemes.
public struct SCoReScalingPoint: Sendable, Codable, Equatable {
  public var generations: Int
  public var parallel: Double
  public var sequential: Double
}
