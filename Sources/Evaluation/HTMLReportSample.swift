import Foundation

/// One trajectory shown in a report, read from any of the results layouts Recheck writes:
/// `recheck eval` records (EvalRecord), the demo's two-turn lines (`problem`, `answer`, `y1`, `y2`,
/// `r1`, `r2`) and its self-verifying lines (`problem`, `response`, `attemptsUsed`, `record`).
public struct HTMLReportSample: Sendable, Equatable {
  public struct Step: Sendable, Equatable {
    public var label: String
    public var text: String
    /// nil when the step is not graded (an S²R response as a whole).
    public var correct: Bool?
  }

  public var method: String
  public var problem: String
  public var reference: String?
  public var steps: [Step]

  /// nil when the line is none of the known layouts.
  static func parse(_ line: Substring, method: String) -> HTMLReportSample? {
    if let r = try? JSONDecoder().decode(EvalRecord.self, from: Data(line.utf8)) {
      var steps: [Step] = []
      for (t, a) in r.attempts.enumerated() {
        steps.append(
          Step(label: "attempt \(t + 1), answer \(a.extracted ?? "–")", text: a.text, correct: a.correct))
        if let v = a.verification {
          steps.append(
            Step(label: "verification: \(a.verdict?.rawValue ?? "undetermined")", text: v, correct: nil))
        }
      }
      return HTMLReportSample(method: method, problem: r.id, reference: r.reference, steps: steps)
    }
    guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      let problem = o["problem"] as? String
    else { return nil }
    let reference = o["answer"].map { "\($0)" }
    if let y1 = o["y1"] as? String, let y2 = o["y2"] as? String {
      let ok = { (k: String) in (o[k] as? NSNumber).map { $0.doubleValue > 0 } }
      return HTMLReportSample(
        method: method, problem: problem, reference: reference,
        steps: [
          Step(label: "turn 1", text: y1, correct: ok("r1")),
          Step(label: "turn 2 (after the self-correction instruction)", text: y2, correct: ok("r2")),
        ])
    }
    if let response = o["response"] as? String {
      let record = o["record"] as? [String: Any]
      let used = (o["attemptsUsed"] as? NSNumber)?.intValue
      let label = "response" + (used.map { ", \($0) attempt\($0 == 1 ? "" : "s")" } ?? "")
      return HTMLReportSample(
        method: method, problem: problem, reference: reference,
        steps: [
          Step(label: label, text: response, correct: (record?["finalCorrect"] as? NSNumber)?.boolValue)
        ])
    }
    return nil
  }

  /// Up to `count` samples of a results file, preferring problems where the outcome changed between
  /// the first and the last graded step (those show self-correction at work), then file order.
  static func pick(_ text: String, method: String, count: Int) -> [HTMLReportSample] {
    guard count > 0 else { return [] }
    let all = text.split(separator: "\n").prefix(400).compactMap { parse($0, method: method) }
    func changed(_ s: HTMLReportSample) -> Bool {
      let graded = s.steps.compactMap(\.correct)
      return graded.count > 1 && graded.first != graded.last
    }
    return Array((all.filter(changed) + all.filter { !changed($0) }).prefix(count))
  }

  var html: String {
    let mark = { (c: Bool?) in
      c.map { $0 ? " <span class=\"ok\">✓</span>" : " <span class=\"bad\">✗</span>" } ?? ""
    }
    var h = "<div class=\"sample\"><p><b>\(HTMLEscape.text(HTMLReportMethods.label(method)))</b> — "
    h += "<code>\(HTMLEscape.text(problem))</code>"
    if let reference { h += ", reference <code>\(HTMLEscape.text(reference))</code>" }
    h += "</p>\n"
    for s in steps {
      h += "<p class=\"st\">\(HTMLEscape.text(s.label))\(mark(s.correct))</p>"
      h += "<pre>\(HTMLEscape.text(String(s.text.prefix(600))))</pre>\n"
    }
    return h + "</div>\n"
  }
}
