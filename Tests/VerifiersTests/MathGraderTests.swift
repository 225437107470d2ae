import Foundation
import Verifiers
import XCTest

/// The committed answer-pair corpus (Fixtures/math-pairs.jsonl: reference, answer, hand-decided
/// expected verdict, category) and MATH500's own answers against the boxes of their solutions.
final class MathGraderTests: XCTestCase {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")

  func testCorpusVerdicts() throws {
    let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("math-pairs.jsonl"))
    var count = 0
    var categories = Set<String>()
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let ref = try XCTUnwrap(o["reference"] as? String)
      let ans = try XCTUnwrap(o["answer"] as? String)
      let expected = try XCTUnwrap(o["expected"] as? Bool)
      categories.insert(try XCTUnwrap(o["category"] as? String))
      let v = MathGrader.equivalent(reference: ref, answer: ans)
      XCTAssertEqual(v.equivalent, expected, "\(ref) vs \(ans) (rule \(v.rule))")
      // The one grading function (extraction of both sides first) decides the same.
      let g = MathGrader.grade(reference: ref, response: ans)
      XCTAssertEqual(g.equivalent, expected, "grade: \(ref) vs \(ans) (rule \(g.rule))")
      XCTAssertEqual(v.equivalent, v.rule != "not-equivalent" && v.rule != "empty-answer")
      count += 1
    }
    XCTAssertGreaterThanOrEqual(count, 300)
    XCTAssertGreaterThanOrEqual(categories.count, 12)
  }

  func testNearMissesAndRules() {
    let cases: [(String, String, Bool, String)] = [
      ("\\pi", "3.14", false, "not-equivalent"),
      ("\\frac{1}{3}", "0.33", false, "not-equivalent"),
      ("[1,2)", "[1,2]", false, "not-equivalent"),
      ("2", "2x", false, "not-equivalent"),
      ("\\frac12", "0.5", true, "rational"),
      ("2x+2", "2(x+1)", true, "symbolic"),
      ("\\sqrt{2}", "\\frac{2}{\\sqrt2}", true, "numeric"),
      ("(1,2]", "(1, 2]", true, "normalized-string"),
      ("[1,2]", "[1, 2.0]", true, "interval"),
      ("(1,2)", "(1,2.0)", true, "tuple"),
      ("3,1", "1,3", true, "set"),
      ("x=5", "5", true, "equation"),
      ("25\\%", "\\frac14", true, "percent"),
      ("5", "5", true, "exact-string"),
      ("5", " ", false, "empty-answer"),
    ]
    for (r, a, eq, rule) in cases {
      XCTAssertEqual(
        MathGrader.equivalent(reference: r, answer: a), MathVerdict(equivalent: eq, rule: rule),
        "\(r) vs \(a)")
    }
  }

  func testSymmetricOnCorpusExceptDirectionalRules() throws {
    // Equivalence should not depend on which side is the reference.
    for (r, a) in [
      ("\\frac{1}{2}", "0.5"), ("(-\\infty,2)\\cup(3,\\infty)", "(3,\\infty)\\cup(-\\infty,2)"),
      ("x^2-1", "(x-1)(x+1)"), ("[1,2)", "[1,2]"),
    ] {
      XCTAssertEqual(
        MathGrader.equivalent(reference: r, answer: a).equivalent,
        MathGrader.equivalent(reference: a, answer: r).equivalent, "\(r) / \(a)")
    }
  }

  /// Every MATH500 `answer` must be equivalent to the last box of its own `solution`, and to the
  /// whole solution read by `MathGrader.grade`.
  func testMath500AnswersMatchTheirSolutionsBox() throws {
    let path = "/work/shared/datasets/math500.jsonl"
    guard let data = FileManager.default.contents(atPath: path) else {
      throw XCTSkip("MATH500 not present at \(path)")
    }
    var n = 0
    var failures: [String] = []
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let answer = try XCTUnwrap(o["answer"] as? String)
      let solution = try XCTUnwrap(o["solution"] as? String)
      let boxed = AnswerExtractor.lastBoxed(solution) ?? ""
      n += 1
      if !MathGrader.equivalent(reference: answer, answer: boxed).equivalent {
        failures.append("\(answer) | \(boxed)")
      }
      // The whole worked solution as the response: `grade` must read its answer.
      if !MathGrader.grade(reference: answer, response: solution).equivalent {
        failures.append("grade: \(answer) | solution")
      }
      // A wrong answer must not pass: the next-larger integer for integer answers.
      if let k = Int(answer) {
        XCTAssertFalse(MathGrader.equivalent(reference: answer, answer: String(k + 1)).equivalent, answer)
      }
    }
    XCTAssertEqual(n, 500)
    XCTAssertEqual(failures, [], "MATH500 answer vs own box")
  }
}
