import Rollouts

/// Self-correction between two attempts t_i → t_j over a whole evaluation set ([P] §3; spec §3.1).
/// All values are fractions of all problems (not percentages), except `fixRate`.
public struct SCoReTransition: Sendable, Codable, Equatable {
  /// 1-based attempt numbers.
  public var from: Int
  public var to: Int
  /// Δ(t_i, t_j) = Acc@t_j − Acc@t_i.
  public var delta: Double
  /// Δ^{i→c}: fraction of problems wrong at t_i and right at t_j.
  public var incorrectToCorrect: Double
  /// Δ^{c→i}: fraction of problems right at t_i and wrong at t_j.
  public var correctToIncorrect: Double
  /// P(right at t_j | wrong at t_i) = Δ^{i→c} / (1 − Acc@t_i); nil when every t_i answer was right.
  public var fixRate: Double?
}

/// Metrics of one evaluated model ([P] Tables 1–4 row): Acc@t1…t_N and the t1 → t2 transition,
/// with optional bootstrap intervals. JSON-encodable for result files.
public struct SCoReSummary: Sendable, Codable, Equatable {
  public var name: String
  public var problems: Int
  /// Acc@t1 … Acc@t_N (multi-attempt curve, [P] Fig. 8).
  public var accuracy: [Double]
  /// t1 → t2 (nil with a single attempt).
  public var transition: SCoReTransition?
  public var accuracyIntervals: [SCoReInterval]?
  public var deltaInterval: SCoReInterval?
}

public enum SCoReMetricsError: Error, Equatable, CustomStringConvertible {
  case empty
  case missingAttempt(row: Int, turn: Int, attempts: Int)

  public var description: String {
    switch self {
    case .empty: return "no problems to score"
    case .missingAttempt(let row, let turn, let attempts):
      return "problem \(row) has \(attempts) attempts, attempt \(turn) was asked for"
    }
  }
}

/// Accuracy and self-correction metrics over `correct[problem][attempt]` (greedy decoding, one
/// episode per problem in the paper; with several episodes per problem each row counts once).
public enum SCoReMetrics {
  /// Acc@t = (1/N) Σ r̂(y_t); `turn` is 1-based.
  ///
  /// Example: rows [[✓,✓], [✗,✓], [✓,✗], [✗,✗]] → Acc@t1 = 0.5, Acc@t2 = 0.5.
  public static func accuracy(_ correct: [[Bool]], turn: Int) throws -> Double {
    try check(correct, turns: [turn])
    var n = 0
    for row in correct where row[turn - 1] { n += 1 }
    return Double(n) / Double(correct.count)
  }

  /// Δ, Δ^{i→c}, Δ^{c→i} and the fix rate from attempt `from` to attempt `to` (1-based).
  /// Δ = Δ^{i→c} − Δ^{c→i} holds exactly in counts.
  ///
  /// Example: rows [[✓,✓], [✗,✓], [✓,✗], [✗,✗]] (t1 → t2) → Δ = 0, Δ^{i→c} = 0.25,
  /// Δ^{c→i} = 0.25, fixRate = 0.25 / 0.5 = 0.5.
  public static func transition(_ correct: [[Bool]], from: Int = 1, to: Int = 2) throws -> SCoReTransition {
    try check(correct, turns: [from, to])
    var (rightFrom, rightTo, fixed, broken) = (0, 0, 0, 0)
    for row in correct {
      let (a, b) = (row[from - 1], row[to - 1])
      if a { rightFrom += 1 }
      if b { rightTo += 1 }
      if !a && b { fixed += 1 }
      if a && !b { broken += 1 }
    }
    let n = Double(correct.count)
    let wrongFrom = correct.count - rightFrom
    return SCoReTransition(
      from: from, to: to, delta: Double(rightTo - rightFrom) / n, incorrectToCorrect: Double(fixed) / n,
      correctToIncorrect: Double(broken) / n,
      fixRate: wrongFrom == 0 ? nil : Double(fixed) / Double(wrongFrom))
  }

  /// The summary of one model: accuracy at every attempt all rows have, and t1 → t2.
  public static func summary(name: String, correct: [[Bool]]) throws -> SCoReSummary {
    guard let turns = correct.map(\.count).min(), turns >= 1 else { throw SCoReMetricsError.empty }
    let accuracy = try (1...turns).map { try Self.accuracy(correct, turn: $0) }
    let transition = turns >= 2 ? try Self.transition(correct, from: 1, to: 2) : nil
    return SCoReSummary(
      name: name, problems: correct.count, accuracy: accuracy, transition: transition, accuracyIntervals: nil,
      deltaInterval: nil)
  }

  /// As `summary(name:correct:)` from episodes (correct = reward of 1, `SCoReAttempt.isCorrect`).
  public static func summary(name: String, episodes: [SCoReEpisode]) throws -> SCoReSummary {
    try summary(name: name, correct: episodes.map(\.correctness))
  }

  static func check(_ correct: [[Bool]], turns: [Int]) throws {
    guard !correct.isEmpty else { throw SCoReMetricsError.empty }
    for (r, row) in correct.enumerated() {
      for t in turns where t < 1 || t > row.count {
        throw SCoReMetricsError.missingAttempt(row: r, turn: t, attempts: row.count)
      }
    }
  }
}
