import Generation
import Models
import Rollouts
import TensorCore
import Training
import XCTest

final class SCoReBaselinesRLTests: XCTestCase {
  typealias F = SCoReBaselinesFixture
  let rl = SCoReTrainConfig(
    steps: 1, problemsPerStep: 2, samplesPerProblem: 2, learningRate: 1e-2, warmupSteps: 0, maxNewTokens: 3,
    seed: 9)

  func testSingleTurnRLTrainsOneAttemptWithStageIIRewards() async throws {
    let base = F.model()
    let before = F.weights(base)
    let result = try await SCoReRLMethods.singleTurn(base: base, inputs: F.inputs, config: rl)
    XCTAssertEqual(result.phases.map(\.name), ["single-turn-rl"])
    XCTAssertEqual(result.phases[0].config.turns, 1)
    XCTAssertEqual(result.phases[0].config.stage, .stageII)
    XCTAssertEqual(result.records.count, 1)
    XCTAssertNotNil(result.records[0].values["reward_t1"])
    XCTAssertNil(result.records[0].values["reward_t2"], "one attempt only")
    XCTAssertEqual(F.weights(base), before)
    XCTAssertNotEqual(F.weights(result.model), before)
  }

  func testMultiTurnRLIsStageIIWithoutShaping() async throws {
    let result = try await SCoReRLMethods.multiTurnWithoutStageI(
      base: F.model(), inputs: F.inputs, config: rl)
    XCTAssertEqual(result.phases.count, 1)
    XCTAssertEqual(result.phases[0].config.stage, .stageII)
    XCTAssertEqual(result.phases[0].config.coefficients.alpha, 0)
    XCTAssertEqual(result.phases[0].config.turns, 2)
    XCTAssertNotNil(result.records[0].values["reward_t2"])
  }

  /// Three attempts: Stage I(a), Stage I(b), then Stage II (spec §1.5), with the configured steps.
  func testSCoReRunsStageISubStagesThenStageII() async throws {
    var c = rl
    c.turns = 3
    let config = SCoReMethodConfig(rl: c, stageISteps: 1, stageIISteps: 2)
    let result = try await SCoReRLMethods.score(base: F.model(), inputs: F.inputs, config: config)
    XCTAssertEqual(result.phases.map(\.name), ["stageI-1", "stageI-2", "stageII"])
    XCTAssertEqual(result.phases.map(\.config.stage), [.stageI(subStage: 1), .stageI(subStage: 2), .stageII])
    XCTAssertEqual(result.phases.map(\.config.turns), [2, 3, 3])
    XCTAssertEqual(result.phases.map(\.config.steps), [1, 1, 2])
    XCTAssertEqual(result.phases[2].config.coefficients.alpha, 10)
    XCTAssertEqual(result.records.map(\.phase), ["stageI-1", "stageI-2", "stageII", "stageII"])
    XCTAssertEqual(result.records.map(\.step), [1, 2, 3, 4])
    XCTAssertEqual(result.records.last?.phaseStep, 2)
    // Two attempts: the paper's recipe, one Stage-I run then one Stage-II run.
    let two = try await SCoReRLMethods.score(
      base: F.model(), inputs: F.inputs, config: SCoReMethodConfig(rl: rl, stageISteps: 1, stageIISteps: 1))
    XCTAssertEqual(two.phases.map(\.name), ["stageI", "stageII"])
  }

  func testSelfRefineTextLayoutContextsAndEpisodes() async throws {
    let calls = SCoReSelfRefineLog()
    let model = SCoReSelfRefineScripted(log: calls)
    let episodes = try await SCoReSelfRefineBaseline.run(
      model: model, inputs: F.inputs, config: SCoReSelfRefineConfig(maxNewTokens: 8))
    XCTAssertEqual(episodes.count, 3)
    let prompts = await calls.prompts
    XCTAssertEqual(prompts.count, 9, "y1, feedback and rewrite for 3 problems")
    XCTAssertEqual(prompts[0], "1+2=?\n")
    XCTAssertEqual(prompts[3], "1+2=?\nA1\nCheck:\n")
    XCTAssertEqual(prompts[6], "1+2=?\nA1\nCheck:\nB4\nRewrite:\n")
    XCTAssertEqual(episodes[0].attempts.map(\.text), ["A1", "C7"])
    XCTAssertEqual(episodes[0].rewards, [0, 0])  // "A" (65) odd, "C" (67) odd
  }

  func testTextLayoutModelRendersSCoReConversationsLikeTextContext() {
    let adapter = SCoReTextLayoutModel(
      base: SCoReSelfRefineScripted(log: SCoReSelfRefineLog()), prompts: F.prompts)
    for previous in [[], ["y1"], ["y1", "y2"]] {
      let p = F.problems[1]
      XCTAssertEqual(
        adapter.render(F.prompts.chatContext(problem: p, previousAttempts: previous)),
        F.prompts.textContext(problem: p, previousAttempts: previous))
    }
  }
}

actor SCoReSelfRefineLog {
  var prompts: [String] = []
  func add(_ p: [String]) { prompts += p }
}

/// Answers with a letter per call kind and the request's index + call count: "A…" for y1,
/// "B…" for feedback, "C…" for the rewrite; text prompts only (the adapter must have rendered).
struct SCoReSelfRefineScripted: LanguageModel {
  let name = "scripted"
  let log: SCoReSelfRefineLog

  func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
    let texts = requests.map { r -> String in
      if case .text(let t) = r.prompt { return t }
      return "<chat>"
    }
    await log.add(texts)
    let n = await log.prompts.count
    return texts.enumerated().map { i, t in
      let letter = t.hasSuffix("Rewrite:\n") ? "C" : t.hasSuffix("Check:\n") ? "B" : "A"
      let text = letter + String(n - texts.count + i + 1)
      return [GeneratedSequence(tokens: [1], text: text, logProbs: [-1], finishReason: .stopToken)]
    }
  }
}
