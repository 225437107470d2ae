import Tokenizers
import XCTest

@testable import Rollouts

final class SCoReSelfRefineTests: XCTestCase {
  func testConversationsHaveFeedbackThenRewrite() {
    let set = SCoRePromptSet.synthetic(firstTurn: "Add.", correction: "Fix.")
    let p = SCoReProblem(id: "s", statement: "2+3", answer: "5")
    let sr = SCoReSelfRefinePrompts(feedbackRequest: "Feedback?", rewriteRequest: "Rewrite.")
    XCTAssertEqual(
      sr.feedbackConversation(problem: p, firstAttempt: "6", prompts: set),
      [.user("Add.\n\n2+3"), .assistant("6"), .user("Feedback?")])
    XCTAssertEqual(
      sr.rewriteConversation(problem: p, firstAttempt: "6", feedback: "3+2 is not 6.", prompts: set),
      [
        .user("Add.\n\n2+3"), .assistant("6"), .user("Feedback?"), .assistant("3+2 is not 6."),
        .user("Rewrite."),
      ])
  }

  func testTaskPromptsKeepTheAnswerFormat() {
    XCTAssertEqual(SCoReSelfRefinePrompts.forTask(.math), .math)
    XCTAssertEqual(SCoReSelfRefinePrompts.forTask(.humanEval), .code)
    XCTAssertEqual(SCoReSelfRefinePrompts.forTask(.mbpp), .code)
    XCTAssertTrue(SCoReSelfRefinePrompts.math.rewriteRequest.hasSuffix("I hope it is correct.\""))
    XCTAssertTrue(SCoReSelfRefinePrompts.code.rewriteRequest.hasPrefix("# "))
  }
}
