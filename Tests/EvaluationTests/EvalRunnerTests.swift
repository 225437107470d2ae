import Datasets
import Foundation
import Generation
import Rollouts
import XCTest

@testable import Evaluation

final class EvalRunnerTests: XCTestCase {
  /// Problem i asks "i+i"; the script answers 2i on the first attempt when i is even and i+1 otherwise,
  /// and on a later attempt always 2i, except problem 0 which breaks on turn 2 (→ 99).
  static let script: @Sendable (Prompt) -> String = { prompt in
    guard case .chat(let m) = prompt, let q = m.first?.content,
      let n = Int(q.split(separator: "\n").last!.dropFirst("Problem: ".count).split(separator: "+")[0])
    else { return "" }
    let turn = previousAttempts(prompt) + 1
    let answer = turn == 1 ? (n % 2 == 0 ? 2 * n : n + 1) : (n == 0 ? 99 : 2 * n)
    return "Work.\nFinal Answer: The final answer is $\(answer)$. I hope it is correct."
  }

  func items(_ n: Int) -> [EvalItem] {
    (0..<n).map { mathItem($0, question: "\($0)+\($0)", answer: String(2 * $0)) }
  }

  func testScoreProtocolTurnsContextsAndMetrics() async throws {
    let model = ScriptedModel(Self.script)
    let config = EvalConfig(dataset: "t", evalProtocol: .score(turns: 2), seed: 5, batchSize: 3)
    let records = try await EvalRunner(model: model, config: config, grader: EvalGrader()).evaluate(items(4))
    // p0: 0 ✓ then 99 ✗; p1: 2 ✓ (1+1=2 on turn 1 as n+1 = 2) then ✓; p2 ✓ ✓; p3: 4 ✗ then 6 ✓.
    XCTAssertEqual(
      records.map(\.correctness), [[true, false], [true, true], [true, true], [false, true]])
    XCTAssertEqual(records[3].attempts.map(\.extracted), ["4", "6"])
    XCTAssertEqual(records[3].attemptsUsed, 2)
    // Turn-2 context = [user x1, assistant y1, user p] with the paper's instruction (score.md §1.4).
    guard case .chat(let m) = records[3].attempts[1].prompt! else { return XCTFail("chat expected") }
    XCTAssertEqual(m.map(\.role), ["user", "assistant", "user"])
    XCTAssertEqual(m[1].content, records[3].attempts[0].text)
    XCTAssertEqual(m[2].content, SCoRePromptText.mathCorrection)
    XCTAssertTrue(m[0].content.hasPrefix(SCoRePromptText.mathFirstTurn))
    // Seeds depend on (seed, id, turn) only.
    XCTAssertEqual(model.log.count, 8)
    XCTAssertEqual(model.log[0].seed, EvalRunner.seed(5, id: "p0", turn: 1))
    XCTAssertNotEqual(EvalRunner.seed(5, id: "p0", turn: 1), EvalRunner.seed(5, id: "p0", turn: 2))
    XCTAssertNotEqual(EvalRunner.seed(5, id: "p0", turn: 1), EvalRunner.seed(5, id: "p1", turn: 1))
    XCTAssertEqual(model.log[0].params.temperature, 0)

    let s = try EvalSummary.compute(records, name: "m", evalProtocol: .score(turns: 2), resamples: 50)
    XCTAssertEqual(s.accuracy, [0.75, 0.75])
    XCTAssertEqual(s.transition?.incorrectToCorrect, 0.25)
    XCTAssertEqual(s.transition?.correctToIncorrect, 0.25)
    XCTAssertEqual(s.transition?.fixRate, 1)
    XCTAssertEqual(s.averageAttempts, 2)
    XCTAssertEqual(s.turnLabels, ["t1", "t2"])
  }

  func testSingleProtocol() async throws {
    let model = ScriptedModel(Self.script)
    let config = EvalConfig(dataset: "t", evalProtocol: .single)
    let records = try await EvalRunner(model: model, config: config, grader: EvalGrader()).evaluate(items(3))
    XCTAssertEqual(records.map(\.correctness), [[true], [true], [true]])
    XCTAssertEqual(records.map(\.attemptsUsed), [1, 1, 1])
  }

  func testS2RProtocolCutsAtVerifiedCorrectAndScoresVerifications() async throws {
    let check = S2RMarkers.sftCheck
    let retry = S2RMarkers.sftRetry
    let model = ScriptedModel { prompt in
      guard case .chat(let m) = prompt else { return "" }
      XCTAssertEqual(m.first, .system(S2RDataBuilder.systemPrompt))
      switch m.last!.content {
      case "q0":  // wrong, caught, right, confirmed; then a third attempt the budget never sees
        return "\\boxed{3}" + check + "Therefore, the answer is incorrect." + retry + "\\boxed{4}" + check
          + "Therefore, the answer is correct." + retry + "\\boxed{5}"
      case "q1":  // right but judged wrong, then broken; runs into the attempts budget (2)
        return "\\boxed{4}" + check + "Therefore, the answer is incorrect." + retry + "\\boxed{6}" + check
          + "Therefore, the answer is incorrect." + retry + "\\boxed{7}"
      default:  // no verification at all
        return "\\boxed{4}"
      }
    }
    let items = (0..<3).map { mathItem($0, question: "q\($0)", answer: "4") }
    let config = EvalConfig(dataset: "t", evalProtocol: .s2r(maxAttempts: 2))
    let records = try await EvalRunner(model: model, config: config, grader: EvalGrader()).evaluate(items)
    XCTAssertEqual(records[0].stopReason, .verifiedCorrect)
    XCTAssertEqual(records[0].attempts.map(\.correct), [false, true])
    XCTAssertEqual(records[0].attempts.map(\.verdict), [.incorrect, .correct])
    XCTAssertEqual(records[0].finalAnswer, "4")
    XCTAssertTrue(records[0].finalCorrect)
    XCTAssertFalse(records[0].response!.contains("\\boxed{5}"))
    XCTAssertEqual(records[1].stopReason, .attemptBudget)
    XCTAssertEqual(records[1].attempts.map(\.correct), [true, false])
    XCTAssertEqual(records[1].finalAnswer, "6")
    XCTAssertFalse(records[1].finalCorrect)
    XCTAssertEqual(records[2].stopReason, .endOfSequence)
    XCTAssertEqual(records[2].attempts.map(\.verdict), [nil])

    let s = try EvalSummary.compute(records, name: "m", evalProtocol: .s2r(maxAttempts: 2), resamples: 20)
    XCTAssertEqual(s.turnLabels, ["t1", "final"])
    XCTAssertEqual(s.accuracy, [2.0 / 3, 2.0 / 3])
    // Verifications: p0 (✗, incorrect) ✓, (✓, correct) ✓; p1 (✓, incorrect) ✗, (✗, incorrect) ✓ → 3/4.
    XCTAssertEqual(s.s2r?.verificationAccuracy, 0.75)
    // ER: wrong attempts checked: p0 s1 caught, p1 s2 caught → 1. CP: "correct" verdicts: p0 s2 ✓ → 1.
    XCTAssertEqual(s.s2r?.errorRecall, 1)
    XCTAssertEqual(s.s2r?.correctPrecision, 1)
    XCTAssertEqual(s.averageAttempts, 5.0 / 3)
  }

  func testResumeSkipsWrittenProblemsAndRejectsOtherConfig() async throws {
    let dir = EvalRunDirectory(url: temporaryDirectory("resume-fake"))
    let config = EvalConfig(dataset: "t", evalProtocol: .score(turns: 2), batchSize: 2)
    try dir.prepare(.init(config: config, backend: "fake", recheckVersion: "0"))
    let runner = EvalRunner(model: ScriptedModel(Self.script), config: config, grader: EvalGrader())
    struct Crash: Error {}
    do {
      try await runner.run(items(5), writer: try ResumableJSONLWriter(url: dir.resultsURL)) { p in
        if p.done == 3 { throw Crash() }
      }
      XCTFail("expected the simulated crash")
    } catch is Crash {}
    XCTAssertEqual(try dir.records().map(\.id), ["p0", "p1", "p2"])
    let model2 = ScriptedModel(Self.script)
    let runner2 = EvalRunner(model: model2, config: config, grader: EvalGrader())
    let written = try await runner2.run(items(5), writer: try ResumableJSONLWriter(url: dir.resultsURL))
    XCTAssertEqual(written, 2)
    XCTAssertEqual(Set(model2.log.map { lastUser($0.prompt) }.filter { $0.contains("+") }).count, 2)
    XCTAssertEqual(try dir.records().map(\.id), ["p0", "p1", "p2", "p3", "p4"])
    var other = config
    other.seed = 1
    XCTAssertThrowsError(try dir.prepare(.init(config: other, backend: "fake", recheckVersion: "0"))) {
      XCTAssertEqual($0 as? EvalError, .configMismatch(runDir: dir.url.path, why: "seed differs"))
    }
    var batch = config
    batch.batchSize = 7  // does not change results: resuming is allowed
    XCTAssertNoThrow(try dir.prepare(.init(config: batch, backend: "fake", recheckVersion: "0")))
  }
}
