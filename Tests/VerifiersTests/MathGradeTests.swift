import Foundation
import Verifiers
import XCTest

/// `MathGrader.grade`: extraction from both sides, then equivalence — every form named in issue
/// #21, and the wrong answers that look right (near misses, perturbed digits) that must stay wrong.
final class MathGradeTests: XCTestCase {
  private func assertGrade(
    _ reference: String, _ response: String, _ equivalent: Bool, ref: String? = nil, ans: String? = nil,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    let g = MathGrader.grade(reference: reference, response: response)
    XCTAssertEqual(
      g.equivalent, equivalent,
      "\(reference) vs \(response): rule \(g.rule), read "
        + "\(g.extractedReference ?? "nil") / \(g.extractedAnswer ?? "nil")", file: file, line: line)
    if let ref { XCTAssertEqual(g.extractedReference, ref, file: file, line: line) }
    if let ans { XCTAssertEqual(g.extractedAnswer, ans, file: file, line: line) }
  }

  func testIssueExamples() {
    assertGrade("5", "\\boxed{5}", true, ref: "5", ans: "5")
    assertGrade("$9$", "Answer \\( 9 \\)", true, ref: "9", ans: "9")
    let solution =
      "The count is $32{,}000 + 349$.\nSo there are \\[32349\\] ways? No: recount gives\n"
      + "$$\\text{total} = 32,\\! 349,$$ hence the answer is $\\boxed{32,\\! 349}$."
    assertGrade("32349", solution, true, ans: "32,\\! 349")
    assertGrade("\\frac{1}{2}", "\\boxed{\\dfrac{1}{2}}", true)
    assertGrade("3", "3 bolts", true, ans: "3")
  }

  func testDelimitersAndBoxes() {
    for response in [
      "$7$", "$$7$$", "\\(7\\)", "\\[7\\]", "\\boxed{7}", "\\boxed 7", "\\fbox{7}", "\\boxed{\\boxed{7}}",
      "The answer is $\\boxed{7}$.", "Step 1: $x = 3$. Step 2: so $y = 7$.\nFinal: $7$",
      "Final Answer: The final answer is $7$. I hope it is correct.", "We get 3 then 7",
    ] {
      assertGrade("7", response, true)
    }
    // Several boxes on the final line are one answer; an earlier box is an intermediate result.
    assertGrade("\\{1, 2\\}", "so $x = \\boxed{1}$ or $x = \\boxed{2}$", true)
    assertGrade("1, 2", "\\boxed{1}, \\boxed{2}", true)
    assertGrade("2", "first \\boxed{1}.\n\nOn reflection the answer is \\boxed{2}", true)
    assertGrade("1, 2", "first \\boxed{1}.\n\nOn reflection the answer is \\boxed{2}", false)
    // A conjunction joins; a narrative does not.
    assertGrade("1, 2", "\\boxed{1} papers and \\boxed{2} bins", true)
    assertGrade("6", "I got \\boxed{5}, and then corrected to \\boxed{6}", true)
    assertGrade("(5,2),(7,2)", "p=5,q=2;p=7,q=2", true)
    assertGrade("(5,2),(7,2)", "p=5,q=2;p=7,q=3", false)
    assertGrade("\\{-12,-11,-10\\}", "-12;-11;-10", true)
    // A reference given as a whole solution is read the same way.
    assertGrade("We compute $1+1$, which is $\\boxed{2}$.", "2", true, ref: "2")
  }

  func testThousandsUnitsAndWords() {
    assertGrade("32349", "\\boxed{32,\\! 349}", true)
    assertGrade("1000", "$1{,}000$", true)
    assertGrade("5.4", "5.4 \\text{ cents}", true)
    assertGrade("5.4", "\\boxed{5.4 \\text{ cents}}", true)
    assertGrade("28\\%", "28 pct", true)
    assertGrade("\\text{Evelyn}", "Evelyn", true)
  }

  func testLabelledAnswers() {
    assertGrade("11", "x = 11", true)
    assertGrade("(3,2)", "(p,q)=(3,2)", true)
    assertGrade("(p,q)=(3,2)", "(p,q)=(3,2)", true)
    assertGrade("(p,q)=(3,2)", "(q,p)=(3,2)", false)
    assertGrade("a_3 = 2, a_{37} = 19", "a_{37} = 19, a_3 = 2", true)
    assertGrade("a_3 = 2, a_{37} = 19", "a_{37} = 2, a_3 = 19", false)
    assertGrade("x = 11", "$x = 5+5+1 = 11$", true)
    assertGrade("7 = 11a+c", "11a+c", false)
  }

  func testInequalitiesAsIntervals() {
    assertGrade("(0,1)", "0 < x < 1", true)
    assertGrade("[0,1)", "0 \\le x < 1", true)
    assertGrade("(0,1)", "0 \\le x < 1", false)
    assertGrade("x \\ge 5", "[5, \\infty)", true)
    assertGrade("x < 1", "-x > -1", true)
    assertGrade("x < 1", "x > -1", false)
    assertGrade("x > 5", "x < 5", false)
    assertGrade("x \\leq 5", "5 \\geq x", true)
  }

  func testSumsAreUninterpretedFunctions() {
    assertGrade("F_n = \\sum_{k=0}^{n-1} F_k F_{n-k-1}", "F_n = \\sum_{k=0}^{n-1} F_{n-k-1} F_k", true)
    assertGrade("F_n = \\sum_{k=0}^{n-1} F_k F_{n-k-1}", "F_n = \\sum_{k=0}^{n-2} F_k F_{n-k-2}", false)
    assertGrade("\\sum_{k=0}^{n-1} k^2", "\\sum_{k=0}^{n-1} k^3", false)
    assertGrade("\\sum_{k=0}^{n-1} k^2", "\\sum_{k=1}^{n-1} k^2", false)
    assertGrade("\\prod_{k=1}^{n} (k+1)", "\\prod_{k=1}^{n} (1+k)", true)
  }

  func testMatrixArithmetic() {
    let id = "\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}"
    assertGrade("\\begin{pmatrix}-1&0\\\\0&-1\\end{pmatrix}", "-\(id)", true)
    assertGrade("\\begin{pmatrix}-1&0\\\\0&-1\\end{pmatrix}", id, false)
    assertGrade("\\begin{pmatrix}2&0\\\\0&2\\end{pmatrix}", "2\(id)", true)
    assertGrade(
      "\\begin{pmatrix}6 & 8 \\\\ 10 & 12\\end{pmatrix}",
      "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} + \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}", true)
    assertGrade(
      "\\begin{pmatrix}19 & 22 \\\\ 43 & 50\\end{pmatrix}",
      "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}", true)
    assertGrade(
      "\\begin{pmatrix}19 & 22 \\\\ 43 & 51\\end{pmatrix}",
      "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}", false)
  }

  func testLongDecimalsAgainstFractions() {
    assertGrade("\\frac{1}{12}", "0.0833333333333333", true)
    assertGrade("\\frac{1}{12}", "0.083333333333333", true)  // truncated (and rounded) to 15 places
    assertGrade("\\frac{1}{12}", "0.0833333333333334", false)  // neither rounded nor truncated
    assertGrade("\\frac{1}{12}", "0.0833333333333343", false)  // off by 10 units in the last place
    assertGrade("\\frac{1}{3}", "0.33", false)
    assertGrade("\\frac{1}{3}", "0.3333333", false)
    assertGrade("\\frac{2}{3}", "0.666666666666667", true)  // rounded
    assertGrade("\\frac{2}{3}", "0.666666666666666", true)  // truncated
    assertGrade("-\\frac{2}{3}", "-0.666666666666667", true)
    assertGrade("\\frac{2}{3}", "0.666666666666668", false)
    assertGrade("\\frac{2}{3}", "0.666666666666677", false)
  }

  /// Wrong answers that look right: each digit of a correct response perturbed, and near misses.
  func testNoFalsePositivesOnPerturbations() {
    let pairs: [(String, String)] = [
      ("32349", "\\boxed{32,\\! 349}"), ("\\frac{1}{2}", "\\boxed{\\dfrac{1}{2}}"), ("(3,2)", "(p,q)=(3,2)"),
      ("\\frac{1}{12}", "0.0833333333333333"), ("11", "x = 11"), ("5.4", "5.4 \\text{ cents}"),
      ("(0,1)", "0 < x < 1"), ("3", "3 bolts"),
      (
        "\\begin{pmatrix}2&0\\\\0&2\\end{pmatrix}",
        "2\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}"
      ),
    ]
    for (ref, right) in pairs {
      assertGrade(ref, right, true)
      let chars = Array(right)
      for (i, c) in chars.enumerated() where c.isNumber {
        var wrong = chars
        wrong[i] = c == "9" ? "8" : Character(String(c.wholeNumberValue.map { $0 + 1 } ?? 0))
        assertGrade(ref, String(wrong), false)
      }
    }
    for (ref, wrong) in [
      ("2", "AZYUK2A"), ("\\pm 2021", "2021"), ("12:00", "1:00"), ("4", "4\\sqrt{2}"), ("[0,1)", "(0,1)"),
      ("1000", "100"), ("0.5", "5"), ("2", "20"),
    ] {
      assertGrade(ref, wrong, false)
    }
  }

  func testNothingExtractedIsNoAnswer() {
    let g = MathGrader.grade(reference: "5", response: "I do not know the answer to this question.")
    XCTAssertEqual(
      g,
      MathGrade(
        reference: "5", answer: "I do not know the answer to this question.", equivalent: false,
        rule: "no-answer",
        extractedReference: "5", extractedAnswer: nil, referenceSource: .wholeText, answerSource: nil))
  }
}
