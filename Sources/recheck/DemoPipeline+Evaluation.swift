import Datasets
import Evaluation
import Foundation
import Models
import Rollouts
import TensorCore
import Tokenizers

/// Greedy evaluation on the held-out problems: every method is scored the same way.
extension DemoPipeline {
  /// Greedy two-turn evaluation (turn 2 after the SCoRe instruction) → SCoRe row; returns the attempts.
  @discardableResult
  func evaluateTurns(_ model: Transformer, _ name: String, heldOut: [SyntheticProblem]) throws
    -> [[SyntheticAttempt]]
  {
    let (correct, attempts) = SyntheticEvaluation.multiTurn(
      model: model, tokenizer: tokenizer, problems: heldOut)
    try recordTurns(
      name, heldOut: heldOut, correct: correct, texts: attempts.map { [$0[0].text, $0[1].text] })
    return attempts
  }

  /// Any two-attempt protocol's outcome (e.g. Self-Refine's episodes) → SCoRe row, results JSONL,
  /// edit-distance ratios.
  func recordTurns(_ name: String, heldOut: [SyntheticProblem], correct: [[Bool]], texts: [[String]]) throws {
    let t = try SCoReMetrics.transition(correct)
    tables.score[name] = ScoreRow(
      acc_t1: try SCoReMetrics.accuracy(correct, turn: 1),
      acc_t2: try SCoReMetrics.accuracy(correct, turn: 2),
      delta: t.delta, delta_i2c: t.incorrectToCorrect, delta_c2i: t.correctToIncorrect)
    scoreOrder.append(name)
    turns[name] = correct
    // SCoRe's collapse check: turn 2 (nearly) repeats turn 1.
    let ratios = texts.map { SCoReEditDistance.ratio($0[0], $0[1]) }
    tables.score[name]?.edit_near0 = Double(ratios.count { $0 < 0.05 }) / Double(max(ratios.count, 1))
    let lines = zip(heldOut, zip(texts, correct)).map { p, tc -> [String: Any] in
      [
        "problem": p.text, "answer": p.answer, "y1": tc.0[0], "y2": tc.0[1], "r1": tc.1[0] ? 1 : 0,
        "r2": tc.1[1] ? 1 : 0,
      ]
    }
    try writeJSONL(lines, "results/\(name).jsonl")
    let r = tables.score[name]!
    Progress.say(
      String(
        format: "eval %-14@ Acc@t1 %.3f  Acc@t2 %.3f  Δ %+.3f  i→c %.3f  c→i %.3f", name, r.acc_t1, r.acc_t2,
        r.delta, r.delta_i2c, r.delta_c2i))
  }

  /// Greedy self-verifying evaluation → S²R row.
  func evaluateS2R(_ model: Transformer, _ name: String, heldOut: [SyntheticProblem]) throws {
    let results = SyntheticEvaluation.selfVerifying(
      model: model, tokenizer: tokenizer, problems: heldOut, budget: config.s2rBudget)
    let s = S2RMetrics.summary(results.map(\.record))
    tables.s2r[name] = S2RRow(
      first_acc: s.firstAttemptAccuracy ?? 0, final_acc: s.finalAccuracy ?? 0,
      verification_acc: s.verificationAccuracy ?? 0,
      avg_attempts: Double(results.map(\.attemptsUsed).reduce(0, +)) / Double(max(results.count, 1)))
    s2rOrder.append(name)
    records[name] = results.map(\.record)
    let enc = JSONEncoder()
    let lines = try results.map { try JSONSerialization.jsonObject(with: enc.encode($0)) as! [String: Any] }
    try writeJSONL(lines, "results/\(name).jsonl")
    let r = tables.s2r[name]!
    Progress.say(
      String(
        format: "eval %-14@ first %.3f  final %.3f  verification %.3f  attempts %.2f", name, r.first_acc,
        r.final_acc, r.verification_acc, r.avg_attempts))
    Progress.say("eval \(name) checks: " + Self.describeByPosition(records[name]!))
  }

  /// Accept and reject rates per check position, e.g. "1st a 0.97 (115/118) r 0.88 (72/82) · 2nd a …
  /// · 3rd+ a 1.00 (9/9) r 0.04 (1/28)" (`S2RCheckedAttempt.byPosition`).
  static func describeByPosition(_ records: [S2RProblemRecord]) -> String {
    let f = rateText
    let names = ["1st", "2nd", "3rd+"]
    return zip(names, S2RCheckedAttempt.byPosition(records, groups: names.count)).map { name, group in
      let v = S2RVerificationRates(group)
      var s = "\(name) a \(f(v.a)) (\(v.accepted)/\(v.right)) r \(f(v.r)) (\(v.rejected)/\(v.wrong))"
      if v.undetermined > 0 { s += ", \(v.undetermined) undetermined" }
      return s
    }.joined(separator: " · ")
  }

  func writeJSONL(_ lines: [[String: Any]], _ name: String) throws {
    var data = Data()
    for l in lines {
      data.append(try JSONSerialization.data(withJSONObject: l, options: [.sortedKeys]))
      data.append(0x0A)
    }
    let url = dir.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try AtomicFileWriter.write(data, to: url)
  }
}
