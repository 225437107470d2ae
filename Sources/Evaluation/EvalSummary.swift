import Datasets
import Foundation

/// The summary of one evaluation run (written as `summary.json` next to `results.jsonl`): SCoRe's
/// Acc@t1…t_N, Δ, Δ^{i→c}, Δ^{c→i} and fix rate (score.md §3.1) with seeded percentile-bootstrap
/// intervals, S²R's verification metrics (s2r.md §8, paper App. E), average attempts, and the
/// y1→y2 edit-distance ratio (score.md §3.2).
public struct EvalSummary: Codable, Sendable, Equatable {
  public var name: String
  public var evalProtocol: String
  public var problems: Int
  /// Column labels of `accuracy`: "t1", "t2", … (S²R: "t1", "final").
  public var turnLabels: [String]
  public var accuracy: [Double]
  public var accuracyIntervals: [SCoReInterval]?
  /// t1 → t2 (S²R: first attempt → final answer).
  public var transition: SCoReTransition?
  public var deltaInterval: SCoReInterval?
  /// t1 → t_N when N > 2.
  public var lastTransition: SCoReTransition?
  public var averageAttempts: Double
  /// S²R behaviour metrics (VA, ER, CP, ICR, CIR), nil for other protocols.
  public var s2r: S2RMetrics.Summary?
  /// Mean editDistance(y1, y2) / (|y1| + |y2|) over problems with two attempts.
  public var editDistanceRatio: Double?
  public var bootstrapResamples: Int
  public var confidence: Double
  public var seed: UInt64

  /// The summary of `records`, ordered by their dataset index first (so the bootstrap draws, and
  /// hence the intervals, do not depend on the order records were written in).
  ///
  /// Example: rows [[✓,✓], [✗,✓], [✓,✗], [✗,✗]] under SCoRe → accuracy [0.5, 0.5], Δ 0,
  /// Δ^{i→c} 0.25, Δ^{c→i} 0.25, fix rate 0.5.
  public static func compute(
    _ records: [EvalRecord], name: String, evalProtocol: EvalProtocol, resamples: Int = 1000,
    confidence: Double = 0.95, seed: UInt64 = 0
  ) throws -> EvalSummary {
    let rows = records.sorted { ($0.index, $0.id) < ($1.index, $1.id) }
    let correct = rows.map(\.correctness)
    var rng = SeededGenerator(seed: seed)
    let base = try SCoReBootstrap.withIntervals(
      try SCoReMetrics.summary(name: name, correct: correct), correct: correct, resamples: resamples,
      confidence: confidence, using: &rng)
    let turns = base.accuracy.count
    let labels: [String]
    if case .s2r = evalProtocol {
      labels = ["t1", "final"]
    } else {
      labels = (1...turns).map { "t\($0)" }
    }
    let twoAttempt = rows.filter { $0.attempts.count >= 2 && !($0.evalProtocol == "s2r") }
    let ratios = twoAttempt.map { SCoReEditDistance.ratio($0.attempts[0].text, $0.attempts[1].text) }
    var s2r: S2RMetrics.Summary?
    if case .s2r = evalProtocol { s2r = S2RMetrics.summary(rows.map(\.s2rRecord)) }
    return EvalSummary(
      name: name, evalProtocol: evalProtocol.name, problems: rows.count, turnLabels: labels,
      accuracy: base.accuracy, accuracyIntervals: base.accuracyIntervals, transition: base.transition,
      deltaInterval: base.deltaInterval,
      lastTransition: turns > 2 ? try SCoReMetrics.transition(correct, from: 1, to: turns) : nil,
      averageAttempts: Double(rows.reduce(0) { $0 + $1.attemptsUsed }) / Double(max(rows.count, 1)),
      s2r: s2r, editDistanceRatio: ratios.isEmpty ? nil : ratios.reduce(0, +) / Double(ratios.count),
      bootstrapResamples: resamples, confidence: confidence, seed: seed)
  }

  /// An aligned three-column table (metric, value in %, interval), e.g.
  /// ```
  /// metric          value  95% CI
  /// Acc@t1           52.6  [48.2, 57.0]
  /// Δ(t1,t2)         -1.2  [-3.0, 0.6]
  /// ```
  public func table() -> String {
    let p = SCoReSummaryTable.percent
    func ci(_ i: SCoReInterval?) -> String {
      guard let i, !i.low.isNaN else { return "" }
      return "[\(p(i.low)), \(p(i.high))]"
    }
    var rows: [[String]] = [
      ["metric", "value", "\(Int((confidence * 100).rounded()))% CI"]
    ]
    for (t, label) in turnLabels.enumerated() where t < accuracy.count {
      rows.append(["Acc@\(label)", p(accuracy[t]), ci(accuracyIntervals?[t])])
    }
    func transitionRows(_ tr: SCoReTransition, _ a: String, _ b: String, interval: SCoReInterval?) {
      rows.append(["Δ(\(a),\(b))", p(tr.delta), ci(interval)])
      rows.append(["Δ^{i→c}(\(a),\(b))", p(tr.incorrectToCorrect), ""])
      rows.append(["Δ^{c→i}(\(a),\(b))", p(tr.correctToIncorrect), ""])
      rows.append(["fix rate(\(a),\(b))", tr.fixRate.map(p) ?? "–", ""])
    }
    if let t = transition, turnLabels.count >= 2 {
      transitionRows(t, turnLabels[0], turnLabels[1], interval: deltaInterval)
    }
    if let t = lastTransition, let last = turnLabels.last { transitionRows(t, "t1", last, interval: nil) }
    if let s = s2r {
      for (label, v) in [
        ("VA (verification acc.)", s.verificationAccuracy), ("ER (error recall)", s.errorRecall),
        ("CP (correct precision)", s.correctPrecision), ("ICR", s.incorrectToCorrectRate),
        ("CIR", s.correctToIncorrectRate),
      ] {
        rows.append([label, v.map(p) ?? "–", ""])
      }
    }
    rows.append(["avg attempts", String(format: "%.2f", averageAttempts), ""])
    if let e = editDistanceRatio { rows.append(["edit ratio(y1,y2)", String(format: "%.3f", e), ""]) }
    rows.append(["problems", String(problems), ""])
    return Self.align(rows)
  }

  /// Left-aligned first column, right-aligned value column, left-aligned interval column; widths in
  /// characters (Swift `Character`s, so "Δ" counts as one).
  static func align(_ rows: [[String]]) -> String {
    let widths = (0..<3).map { c in rows.map { $0[c].count }.max() ?? 0 }
    return rows.map { r in
      let name = r[0] + String(repeating: " ", count: widths[0] - r[0].count)
      let value = String(repeating: " ", count: widths[1] - r[1].count) + r[1]
      return (name + "  " + value + "  " + r[2]).trimmingTrailingSpaces()
    }.joined(separator: "\n") + "\n"
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
