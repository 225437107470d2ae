import Datasets
import Foundation
import Generation
import Rollouts
import Tokenizers
import Verifiers
import XCTest

final class S2RDataBuilderTests: XCTestCase {
  func attempt(_ a: String, _ ok: Bool) -> S2RSampledAttempt {
    S2RSampledAttempt(text: a.isEmpty ? "no box" : "so \\boxed{\(a)}", answer: a, correct: ok)
  }

  func testAnswerGroupsRightFirstThenAppearance() {
    let a = [
      attempt("3", false), attempt("4", true), attempt("", false), attempt("3", false), attempt("5", false),
    ]
    XCTAssertEqual(S2RDataBuilder.answerGroups(a), [[1], [0, 3], [4]])
    XCTAssertEqual(S2RDataBuilder.answerGroups(a, maxGroups: 2), [[1], [0, 3]])
  }

  func testCleanVerification() {
    XCTAssertEqual(
      S2RDataBuilder.cleanVerification(" The original answer is plausible.")?.text, " The answer is correct.")
    let c = S2RDataBuilder.cleanVerification(
      "Checking without solving the problem step by step: 2*3=6. Therefore, the answer is incorrect.")
    XCTAssertEqual(c?.text, "Checking: 2*3=6. Therefore, the answer is incorrect.")
    XCTAssertEqual(c?.verdict, .incorrect)
    XCTAssertNil(S2RDataBuilder.cleanVerification("  \n"))
    XCTAssertNil(S2RDataBuilder.cleanVerification("It cannot be verified."))
    XCTAssertNil(S2RDataBuilder.cleanVerification("The sum is indeed 7. Good work. Done."))  // keyword only
  }

  func testPlanTable() {
    let mix = S2RTrajectoryMix()
    func plan(_ wc: Int, _ w: Int) -> [Double]? {
      S2RDataBuilder.plan(wrongCount: wc, correctPool: 1, incorrectPool: w, mix: mix).map {
        [Double($0.wrongAttempts), $0.keepProbability]
      }
    }
    XCTAssertEqual(plan(0, 0)![0], 0)
    XCTAssertEqual(plan(0, 0)![1], 0.2394, accuracy: 1e-12)
    XCTAssertEqual(plan(1, 1), [1, 0.5])
    XCTAssertEqual(plan(1, 3), [1, 0.5])
    XCTAssertNil(plan(1, 0))
    XCTAssertEqual(plan(2, 2), [2, 0.5])
    XCTAssertEqual(plan(3, 1), [1, 1])
    XCTAssertEqual(plan(4, 3), [3, 0.5])
    XCTAssertEqual(plan(5, 2), [2, 1])
    XCTAssertEqual(plan(20, 1), [1, 1])
    XCTAssertNil(plan(5, 0))
    XCTAssertNil(S2RDataBuilder.plan(wrongCount: 0, correctPool: 0, incorrectPool: 0, mix: mix))
  }

  func syntheticSource() -> S2RClosureVerificationSource {
    S2RClosureVerificationSource { _, answer, correct in
      if answer == "9" { return "Hmm, not sure." }  // undetermined → discarded
      if answer == "8" { return "Therefore, the answer is correct." }  // disagrees with truth → discarded
      return "Check \(answer). "
        + (correct ? "Therefore, the answer is correct." : "Therefore, the answer is incorrect.")
    }
  }

  func problem() -> S2RStage0Problem {
    S2RStage0Problem(
      id: "p1", problem: "2*3?",
      attempts: [
        attempt("5", false), attempt("6", true), attempt("7", false), attempt("6", true), attempt("9", false),
        attempt("8", false), attempt("5", false),
      ])
  }

  func testVerifyBuildsPools() async throws {
    let v = try await S2RDataBuilder.verify(problem(), source: syntheticSource())
    XCTAssertEqual(v.verifierCalls, 5)  // groups 6, 5, 7, 9, 8 (the fifth distinct answer kept)
    XCTAssertEqual(v.discarded, 2)
    XCTAssertEqual(v.correctPool.count, 2)
    XCTAssertEqual(v.incorrectPool.map(\.attempt.answer), ["5", "7"])
    XCTAssertEqual(v.wrongCount, 5)
  }

  func testSFTExampleSeededAndFormatted() async throws {
    let v = try await S2RDataBuilder.verify(problem(), source: syntheticSource())
    var mix = S2RTrajectoryMix()
    mix.keepProbabilityWhenShort = 1
    var rng = S2RTestRNG(seed: 1)
    let e = try S2RDataBuilder.sftExample(
      v, mix: mix, template: .chatML(defaultSystemPrompt: nil), using: &rng)!
    var rng2 = S2RTestRNG(seed: 1)
    XCTAssertEqual(
      try S2RDataBuilder.sftExample(v, mix: mix, template: .chatML(defaultSystemPrompt: nil), using: &rng2), e
    )
    // wrongCount 5 wants 3 wrong attempts but only 2 are confirmed: 2 + 1, kept with probability 1.
    XCTAssertEqual(e.wrongAttempts, 2)
    XCTAssertEqual(
      e.prompt,
      "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n"
        + "<|im_start|>user\n2*3?<|im_end|>\n<|im_start|>assistant\n")
    XCTAssertTrue(e.answer.hasSuffix("Check 6. Therefore, the answer is correct.<|im_end|>\n"))
    let traj = S2RTrajectory(String(e.answer.dropLast("<|im_end|>\n".count)))
    XCTAssertEqual(traj.attemptAnswers.count, 3)
    XCTAssertEqual(Set(traj.attemptAnswers.prefix(2)), ["5", "7"])
    XCTAssertEqual(traj.attemptAnswers.last, "6")
    let json = String(decoding: try JSONEncoder().encode(e), as: UTF8.self)
    XCTAssertTrue(json.contains("\"wrong_attempts\":2"))
  }

  /// The solution part of a sample: up to the check marker, or up to a marker the budget cut at the
  /// end ("\n\nW" or longer); a trailing blank line alone is kept, as is a text without a marker.
  func testSolutionPart() {
    let solution = "2, 11-2=9. \\boxed{29}"
    let check = S2RTrajectory.checkMarker
    XCTAssertEqual(S2RDataBuilder.solutionPart(solution + check + "Check: L=7 . . 3 1"), solution)
    XCTAssertEqual(S2RDataBuilder.solutionPart(solution + check + "a" + check + "b"), solution)
    XCTAssertEqual(S2RDataBuilder.solutionPart(solution + "\n\nWait, let me"), solution)
    XCTAssertEqual(S2RDataBuilder.solutionPart(solution + "\n\nW"), solution)
    XCTAssertEqual(S2RDataBuilder.solutionPart(solution + "\n\n"), solution + "\n\n")
    XCTAssertEqual(S2RDataBuilder.solutionPart(solution + "\n\nWhy"), solution + "\n\nWhy")
    XCTAssertEqual(S2RDataBuilder.solutionPart(solution), solution)
    XCTAssertEqual(S2RDataBuilder.solutionPart(check), "")
  }

  func testTrajectoryText() {
    let w = S2RVerifiedPair(attempt: attempt("1", false), verification: "no")
    let r = S2RVerifiedPair(attempt: attempt("2", true), verification: "yes")
    XCTAssertEqual(
      S2RDataBuilder.trajectoryText(wrong: [w], right: r),
      "so \\boxed{1}" + S2RMarkers.sftCheck + "no" + S2RMarkers.sftRetry + "so \\boxed{2}"
        + S2RMarkers.sftCheck + "yes")
  }

  func testVerifyAllResumes() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2r-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("verified.jsonl")
    var p2 = problem()
    p2.id = "p2"
    let n1 = try await S2RDataBuilder.verifyAll(
      [problem()], source: syntheticSource(), writer: ResumableJSONLWriter(url: url))
    let n2 = try await S2RDataBuilder.verifyAll(
      [problem(), p2], source: syntheticSource(), writer: ResumableJSONLWriter(url: url))
    XCTAssertEqual([n1, n2], [1, 1])
    let rows = try JSONLReader.read(S2RVerifiedProblem.self, from: url)
    XCTAssertEqual(rows.map(\.id), ["p1", "p2"])
  }

  struct EchoModel: LanguageModel {
    var name: String { "echo" }
    func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
      requests.map { r in
        guard case .chat(let m) = r.prompt else { return [] }
        let text = "T=\(r.params.temperature) n=\(r.n) roles=\(m.map(\.role)) " + m[0].content
        return [GeneratedSequence(tokens: [], text: text, logProbs: [], finishReason: .stopToken)]
      }
    }
  }

  func testLLMSourcePromptAndTemperature() async throws {
    let s = S2RLLMVerificationSource(model: EchoModel())
    let out = try await s.verification(problem: "1+1?", answer: "2", correct: true)!
    XCTAssertTrue(out.hasPrefix("T=0.1 n=1 roles=[\"user\"] You are a math teacher."))
    XCTAssertTrue(out.hasSuffix("correct. \n\n* Question:\n1+1?\n\n* Answer:\n2\n\n* Your Prove:"))
  }

  /// Records every `complete` call; replies "<answer> is correct." / "… is incorrect." by a fixed key.
  final class CallLog: LanguageModel, @unchecked Sendable {
    var name: String { "log" }
    var calls: [[CompletionRequest]] = []
    func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
      calls.append(requests)
      return requests.map { r in
        guard case .chat(let m) = r.prompt else { return [] }
        let answer = m[0].content.components(separatedBy: "* Answer:\n")[1].prefix { $0 != "\n" }
        let text = answer == "4" ? "4 - 2 = 2. The answer is correct." : "The answer is incorrect."
        return [GeneratedSequence(tokens: [], text: text, logProbs: [], finishReason: .stopToken)]
      }
    }
  }

  /// A problem's distinct answers go to an LLM verifier in one `complete` call (one batch natively,
  /// concurrent requests to a server), each with the seed the one-at-a-time call gives it.
  func testLLMVerifierGetsAProblemsAnswersInOneCall() async throws {
    let p = S2RStage0Problem(
      id: "q", problem: "2+2?", attempts: [attempt("3", false), attempt("4", true), attempt("5", false)])
    let log = CallLog()
    let source = S2RLLMVerificationSource(model: log, seed: 42)
    let v = try await S2RDataBuilder.verify(p, source: source, fixedVerdictSentence: true)
    XCTAssertEqual(log.calls.count, 1)
    XCTAssertEqual(log.calls[0].count, 3)
    XCTAssertEqual(v.verifierCalls, 3)
    XCTAssertEqual(v.correctPool.map(\.attempt.answer), ["4"])
    XCTAssertEqual(v.incorrectPool.map(\.attempt.answer), ["3", "5"])
    let single = CallLog()
    for answer in ["4", "3", "5"] {  // the right answer's group first (spec §2.2)
      _ = try await S2RLLMVerificationSource(model: single, seed: 42).verification(
        problem: "2+2?", answer: answer, correct: answer == "4")
    }
    XCTAssertEqual(log.calls[0].map(\.seed), single.calls.map { $0[0].seed })
    XCTAssertEqual(Set(log.calls[0].map(\.seed)).count, 3)
  }

  func testVerifyNormalisesVerdictAndCountsDiscardReasons() async throws {
    // Right answer 4, wrong answers 3, 5, 6 (and one unanswered attempt, never verified).
    let p = S2RStage0Problem(
      id: "q", problem: "2+2?",
      attempts: [
        attempt("3", false), attempt("4", true), attempt("", false), attempt("5", false), attempt("6", false),
      ])
    let replies: [String: String?] = [
      "4": "Plugging back: 4 - 2 = 2, the answer checks out.",
      "3": "3 - 2 = 1. Hmm, hard to say.",  // undetermined
      "5": "5 - 2 = 3 ≠ 2. The answer is incorrect.",
      "6": "Looks fine. Therefore, the answer is correct.",  // disagrees with the grader
    ]
    let source = S2RClosureVerificationSource { _, answer, _ in replies[answer] ?? nil }
    let v = try await S2RDataBuilder.verify(p, source: source, fixedVerdictSentence: true)
    XCTAssertEqual(v.verifierCalls, 4)
    XCTAssertEqual(v.discarded, 2)
    XCTAssertEqual(v.discardReasons, ["undetermined": 1, "disagrees-with-grader": 1])
    XCTAssertEqual(
      v.correctPool.map(\.verification),
      ["Plugging back: 4 - 2 = 2, the answer checks out.\n\nTherefore, the answer is correct."])
    XCTAssertEqual(
      v.incorrectPool.map(\.verification),
      ["5 - 2 = 3 ≠ 2. The answer is incorrect.\n\nTherefore, the answer is incorrect."])
    // Without normalisation (synthetic, programmatic verifications) the text is kept as written.
    let plain = try await S2RDataBuilder.verify(p, source: source)
    XCTAssertEqual(plain.incorrectPool.map(\.verification), ["5 - 2 = 3 ≠ 2. The answer is incorrect."])
  }
}
