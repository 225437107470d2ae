import Foundation
import Verifiers

/// Counts of `recheck grade math FILE --summary`: verdicts, deciding rules, and where each side's
/// answer was extracted from (`none` when nothing was).
struct GradeMathSummary {
  var graded = 0
  var equivalent = 0
  var malformed = 0
  var rules: [String: Int] = [:]
  var referenceSources: [String: Int] = [:]
  var answerSources: [String: Int] = [:]

  mutating func add(_ g: MathGrade) {
    graded += 1
    if g.equivalent { equivalent += 1 }
    rules[g.rule, default: 0] += 1
    referenceSources[g.referenceSource?.rawValue ?? "none", default: 0] += 1
    answerSources[g.answerSource?.rawValue ?? "none", default: 0] += 1
  }

  func report() -> String {
    var s = "pairs: \(graded) graded, \(malformed) malformed\n"
    let pct = graded > 0 ? 100 * Double(equivalent) / Double(graded) : 0
    s += String(format: "equivalent: %d (%.1f%%), not equivalent: %d\n", equivalent, pct, graded - equivalent)
    s += "by rule:\n"
    for (rule, n) in rules.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
      s += "  \(rule.padding(toLength: 20, withPad: " ", startingAt: 0)) \(n)\n"
    }
    s += "by extraction source (reference / answer):\n"
    let names = Set(referenceSources.keys).union(answerSources.keys).sorted()
    for name in names {
      s += "  \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) "
      s += "\(referenceSources[name] ?? 0) / \(answerSources[name] ?? 0)\n"
    }
    return s
  }
}
