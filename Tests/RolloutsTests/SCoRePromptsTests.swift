import Foundation
import Generation
import Tokenizers
import XCTest

@testable import Rollouts

final class SCoRePromptsTests: XCTestCase {
  let problem = SCoReProblem(id: "p1", statement: "What is $1+1$?", answer: "2")

  func testMathFirstTurnIsInstructionBlankLineProblem() {
    let text = SCoRePromptSet.math.firstTurnText(problem)
    let expected =
      "You are a math expert. When you respond, respond only with the Solution of the final Problem, thinking "
      + "step by step. At the end of the Solution, when you give your final answer, write it in the form "
      + "\"Final Answer: The final answer is $answer$. I hope it is correct.\"\n\nProblem: What is $1+1$?"
    XCTAssertEqual(text, expected)
  }

  func testCorrectionInstructionsAreAppendixCText() {
    XCTAssertEqual(
      SCoRePromptSet.math.correctionInstruction,
      "There might be an error in the solution above because of lack of understanding of the question. Please "
        + "correct the error, if any, and rewrite the solution. Only output the final solution! At the end of the "
        + "Solution, when you give your final answer, write it in the form \"Final Answer: The final answer is "
        + "$answer$. I hope it is correct.\"")
    XCTAssertEqual(
      SCoRePromptText.codeCorrection,
      "# There might be an error in the code above because of lack of understanding of the question. Please "
        + "correct the error, if any, and rewrite the solution. Only output the final correct Python program!"
    )
    XCTAssertEqual(SCoRePromptSet.mbpp.correctionInstruction, SCoRePromptText.codeCorrection)
    XCTAssertEqual(SCoRePromptSet.humanEval.correctionInstruction, SCoRePromptText.codeCorrection)
  }

  func testChatContextAlternatesAttemptsAndInstruction() {
    let set = SCoRePromptSet.synthetic(firstTurn: "Add.", correction: "Fix.")
    let p = SCoReProblem(id: "s", statement: "2+3", answer: "5")
    XCTAssertEqual(set.chatContext(problem: p, previousAttempts: []), [.user("Add.\n\n2+3")])
    XCTAssertEqual(
      set.chatContext(problem: p, previousAttempts: ["6", "4"]),
      [.user("Add.\n\n2+3"), .assistant("6"), .user("Fix."), .assistant("4"), .user("Fix.")])
  }

  func testTextContextIsConcatenation() {
    let set = SCoRePromptSet.synthetic(firstTurn: "Add.", correction: "Fix.")
    let p = SCoReProblem(id: "s", statement: "2+3", answer: "5")
    XCTAssertEqual(set.textContext(problem: p, previousAttempts: []), "Add.\n\n2+3\n")
    XCTAssertEqual(
      set.textContext(problem: p, previousAttempts: ["6", "4"]), "Add.\n\n2+3\n6\nFix.\n4\nFix.\n")
    // MATH fallback of §1.4: prefix ⊕ problem ⊕ "\n\n" ⊕ y1 ⊕ "\n\n" ⊕ p ⊕ "\n\n".
    let math = SCoRePromptSet.math
    XCTAssertEqual(
      math.textContext(problem: problem, previousAttempts: ["y1 text"]),
      math.firstTurnInstruction + "\n\nProblem: What is $1+1$?\n\ny1 text\n\n" + math.correctionInstruction
        + "\n\n")
    XCTAssertEqual(
      math.context(problem: problem, previousAttempts: ["y1 text"], layout: .text),
      .text(math.textContext(problem: problem, previousAttempts: ["y1 text"])))
    XCTAssertEqual(
      math.context(problem: problem, previousAttempts: [], layout: .chat),
      .chat([.user(math.firstTurnText(problem))]))
  }

  func testAttemptsAreInsertedVerbatim() {
    let y1 = "  line one\n\n  trailing spaces   \n"
    let ctx = SCoRePromptSet.math.chatContext(problem: problem, previousAttempts: [y1])
    XCTAssertEqual(ctx[1].content, y1)
  }

  func testMBPPProblemRendering() {
    let p = SCoReProblem(
      id: "11", statement: "Write a function f.", tests: ["assert f(1) == 2", "assert f(2) == 3"], answer: "")
    let set = SCoRePromptSet.mbpp
    XCTAssertEqual(
      set.renderProblem(p),
      "You are an expert Python programmer, and here is your task: Write a function f. Your code should pass "
        + "these tests:\n\nassert f(1) == 2\nassert f(2) == 3\n[BEGIN]\n")
    XCTAssertTrue(set.firstTurnText(p).hasPrefix(SCoReMBPPShots.fewShotPrefix + "\n\nYou are an expert"))
    XCTAssertEqual(set.stopStrings, ["[DONE]"])
    // Plain text: y1 continues right after "[BEGIN]\n"; the comment instruction follows on its own line.
    XCTAssertTrue(
      set.textContext(problem: p, previousAttempts: ["def f(x): return x"])
        .hasSuffix("[BEGIN]\ndef f(x): return x\n" + SCoRePromptText.codeCorrection + "\n"))
  }

  func testHumanEvalUsesRawPrompt() {
    let raw = "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n"
    let p = SCoReProblem(id: "HumanEval/0", statement: raw, answer: "check")
    XCTAssertEqual(SCoRePromptSet.humanEval.firstTurnText(p), raw)
    XCTAssertEqual(SCoRePromptSet.humanEval.textContext(problem: p, previousAttempts: []), raw)
    XCTAssertEqual(
      SCoRePromptSet.humanEval.textContext(problem: p, previousAttempts: ["    return a + b"]),
      raw + "    return a + b\n" + SCoRePromptText.codeCorrection + "\n")
  }

  func testPromptSetIsCodable() throws {
    let data = try JSONEncoder().encode(SCoRePromptSet.mbpp)
    XCTAssertEqual(try JSONDecoder().decode(SCoRePromptSet.self, from: data), .mbpp)
  }
}
