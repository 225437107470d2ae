import Generation
import Tokenizers
import XCTest

@testable import Rollouts

final class SCoReSelfRefineRunnerTests: XCTestCase {
  func testFeedbackThenRewrite() async throws {
    let prompts = SCoRePromptSet.synthetic(firstTurn: "Add.", correction: "Fix.")
    let refine = SCoReSelfRefinePrompts(feedbackRequest: "Feedback?", rewriteRequest: "Rewrite.")
    // y1 "6"; feedback "wrong: 5"; rewrite copies the number after "wrong: " from the feedback.
    let model = ScriptedModel { prompt, _ in
      guard case .chat(let m) = prompt else { return "" }
      switch m.last?.content {
      case "Feedback?": return "wrong: 5"
      case "Rewrite.": return m[3].content.replacingOccurrences(of: "wrong: ", with: "")
      default: return "6"
      }
    }
    let runner = SCoReSelfRefineRunner(model: model, prompts: prompts, refine: refine, samplesPerProblem: 2)
    let problem = SCoReProblem(id: "a", statement: "2+3", answer: "5")
    let episodes = try await runner.run(problems: [problem]) { p, text in (text == p.answer ? 1 : 0, text) }
    XCTAssertEqual(episodes.count, 2)
    XCTAssertEqual(episodes[1].sample, 1)
    XCTAssertEqual(episodes[0].attempts.map(\.text), ["6", "5"])
    XCTAssertEqual(episodes[0].rewards, [0, 1])
    XCTAssertEqual(
      episodes[0].attempts[1].prompt,
      .chat([
        .user("Add.\n\n2+3"), .assistant("6"), .user("Feedback?"), .assistant("wrong: 5"), .user("Rewrite."),
      ]))
    let calls = await model.log.calls
    XCTAssertEqual(calls.count, 3)  // y1, feedback, rewrite
    XCTAssertEqual(calls[1].count, 2)
    XCTAssertEqual(calls[2][0].params.temperature, 0)
    XCTAssertEqual(SCoReSelfRefineRunner(model: model, prompts: .mbpp).refine, .code)
  }
}
