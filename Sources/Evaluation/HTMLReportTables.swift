import Foundation
import TensorCore

/// The two results tables of a run (`tables.json`, written by `recheck demo`) in the shape of the
/// papers' tables: SCoRe (Kumar et al. 2024, Table 2: Acc@t1, Acc@t2, Δ(t1,t2), Δ^{i→c}, Δ^{c→i})
/// and S²R (Ma et al. 2025, Table 2/3: first-attempt and final accuracy, verification accuracy,
/// attempts). Values are fractions. A row's intervals are its `ci` object when tables.json has one
/// (`recheck demo` writes them, over one seed's problems or, for several seeds, of the mean);
/// otherwise, when `results/<method>.jsonl` holds the per-problem outcomes, each value gets a 95%
/// percentile-bootstrap interval over problems (SCoReBootstrap).
public struct HTMLReportTables: Sendable, Equatable {
  public struct ScoreRow: Sendable, Equatable {
    public var name: String
    public var accT1, accT2, delta, incorrectToCorrect, correctToIncorrect: Double
    /// Keyed by column: "acc_t1", "acc_t2", "delta", "delta_i2c", "delta_c2i".
    public var intervals: [String: SCoReInterval] = [:]
  }

  public struct S2RRow: Sendable, Equatable {
    public var name: String
    public var firstAccuracy, finalAccuracy, verificationAccuracy, averageAttempts: Double
    /// Keyed by column: "first_acc", "final_acc".
    public var intervals: [String: SCoReInterval] = [:]
  }

  public var score: [ScoreRow] = []
  public var s2r: [S2RRow] = []

  public init(score: [ScoreRow] = [], s2r: [S2RRow] = []) {
    self.score = score
    self.s2r = s2r
  }

  /// Bootstrap resamples per interval; the generator seed is fixed so a report is reproducible.
  static let resamples = 1000
  static let seed: UInt64 = 20

  /// Reads `tables.json` (keys `score` and `s2r`, each method → row) and, for intervals, the
  /// sibling `results/` directory. Rows come in the README's table order (HTMLReportMethods).
  public static func read(_ url: URL) throws -> HTMLReportTables {
    guard let o = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
      throw CocoaError(.fileReadCorruptFile)
    }
    let results = url.deletingLastPathComponent().appendingPathComponent("results")
    var t = HTMLReportTables()
    let score = o["score"] as? [String: [String: Any]] ?? [:]
    for name in HTMLReportMethods.ordered(score.keys) {
      let r = score[name]!
      func v(_ k: String) -> Double { number(r[k]) }
      var row = ScoreRow(
        name: name, accT1: v("acc_t1"), accT2: v("acc_t2"), delta: v("delta"),
        incorrectToCorrect: v("delta_i2c"), correctToIncorrect: v("delta_c2i"))
      if let given = givenIntervals(r["ci"]) {
        row.intervals = given
      } else if let correct = scoreOutcomes(results.appendingPathComponent("\(name).jsonl")) {
        row.intervals = try scoreIntervals(correct)
      }
      t.score.append(row)
    }
    let s2r = o["s2r"] as? [String: [String: Any]] ?? [:]
    for name in HTMLReportMethods.ordered(s2r.keys) {
      let r = s2r[name]!
      func v(_ k: String) -> Double { number(r[k]) }
      var row = S2RRow(
        name: name, firstAccuracy: v("first_acc"), finalAccuracy: v("final_acc"),
        verificationAccuracy: v("verification_acc"), averageAttempts: v("avg_attempts"))
      if let given = givenIntervals(r["ci"]) {
        row.intervals = given
      } else if let records = s2rOutcomes(results.appendingPathComponent("\(name).jsonl")) {
        row.intervals = s2rIntervals(records)
      }
      t.s2r.append(row)
    }
    return t
  }

  /// A row's `ci` object ({column: [low, high]}), or nil when absent or malformed.
  static func givenIntervals(_ v: Any?) -> [String: SCoReInterval]? {
    guard let o = v as? [String: Any] else { return nil }
    var out: [String: SCoReInterval] = [:]
    for (k, pair) in o {
      guard let p = pair as? [Any], p.count == 2 else { return nil }
      out[k] = SCoReInterval(low: number(p[0]), high: number(p[1]))
    }
    return out
  }

  /// Intervals of the five SCoRe columns, all from one seeded generator consumed in column order.
  public static func scoreIntervals(_ correct: [[Bool]]) throws -> [String: SCoReInterval] {
    var rng = SeededRNG(seed: seed)
    var out: [String: SCoReInterval] = [:]
    let stats: [(String, ([[Bool]]) throws -> Double)] = [
      ("acc_t1", { try SCoReMetrics.accuracy($0, turn: 1) }),
      ("acc_t2", { try SCoReMetrics.accuracy($0, turn: 2) }),
      ("delta", { try SCoReMetrics.transition($0).delta }),
      ("delta_i2c", { try SCoReMetrics.transition($0).incorrectToCorrect }),
      ("delta_c2i", { try SCoReMetrics.transition($0).correctToIncorrect }),
    ]
    for (key, f) in stats {
      out[key] = try SCoReBootstrap.interval(rows: correct, resamples: resamples, using: &rng, statistic: f)
    }
    return out
  }

  /// Intervals of first-attempt and final accuracy.
  public static func s2rIntervals(_ records: [S2RProblemRecord]) -> [String: SCoReInterval] {
    var rng = SeededRNG(seed: seed)
    return [
      "first_acc": SCoReBootstrap.interval(rows: records, resamples: resamples, using: &rng) {
        S2RMetrics.firstAttemptAccuracy($0) ?? .nan
      },
      "final_acc": SCoReBootstrap.interval(rows: records, resamples: resamples, using: &rng) {
        S2RMetrics.finalAccuracy($0) ?? .nan
      },
    ]
  }

  /// Per-problem (turn 1, turn 2) correctness from a results file with `r1`/`r2` fields; nil when
  /// the file is missing or any line lacks them (no interval rather than a wrong one).
  static func scoreOutcomes(_ url: URL) -> [[Bool]]? {
    guard let lines = jsonLines(url) else { return nil }
    var out: [[Bool]] = []
    for o in lines {
      guard let r1 = o["r1"], let r2 = o["r2"] else { return nil }
      out.append([number(r1) > 0, number(r2) > 0])
    }
    return out.isEmpty ? nil : out
  }

  /// Per-problem S²R records from a results file whose lines carry a `record` object.
  static func s2rOutcomes(_ url: URL) -> [S2RProblemRecord]? {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
    struct Line: Decodable { var record: S2RProblemRecord }
    var out: [S2RProblemRecord] = []
    for line in text.split(separator: "\n") {
      guard let l = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)) else { return nil }
      out.append(l.record)
    }
    return out.isEmpty ? nil : out
  }

  static func jsonLines(_ url: URL) -> [[String: Any]]? {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
    var out: [[String: Any]] = []
    for line in text.split(separator: "\n") {
      guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        return nil
      }
      out.append(o)
    }
    return out
  }

  static func number(_ v: Any?) -> Double { (v as? NSNumber)?.doubleValue ?? .nan }
}
