import Datasets
import Foundation
import Generation
import Rollouts
import Tokenizers
import Training
import XCTest

/// A scripted policy + verifier: policy replies by problem text (the user turn after the paper's
/// system prompt), verifier replies by the answer in the confirmative prompt. Records every call.
final class Stage0Script: LanguageModel, @unchecked Sendable {
  var name: String { "script" }
  let policy: [String: [String]]
  let verifier: [String: String]
  var failOn: Set<String> = []
  var verifierFails = false
  private let lock = NSLock()
  private(set) var policyCalls: [String] = []
  private(set) var verifiedAnswers: [String] = []
  /// Requests per `complete` call, in call order.
  private(set) var callSizes: [Int] = []

  init(policy: [String: [String]], verifier: [String: String]) {
    self.policy = policy
    self.verifier = verifier
  }

  func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
    lock.withLock { callSizes.append(requests.count) }
    return try requests.map { r in
      guard case .chat(let m) = r.prompt else { throw CocoaError(.featureUnsupported) }
      let texts: [String]
      if m.count == 2 {
        XCTAssertEqual(m[0].content, S2RDataBuilder.systemPrompt)
        XCTAssertEqual(r.params.temperature, 0.7)
        lock.withLock { policyCalls.append(m[1].content) }
        if failOn.contains(m[1].content) { throw URLError(.cannotConnectToHost) }
        texts = Array((policy[m[1].content] ?? []).prefix(r.n))
      } else {
        XCTAssertEqual(r.params.temperature, 0.1)
        if verifierFails { throw URLError(.badServerResponse) }
        let answer = m[0].content.components(separatedBy: "* Answer:\n")[1].components(separatedBy: "\n")[0]
        lock.withLock { verifiedAnswers.append(answer) }
        texts = [verifier[answer] ?? ""]
      }
      return texts.map { GeneratedSequence(tokens: [], text: $0, logProbs: [], finishReason: .stopToken) }
    }
  }
}

final class S2RBenchmarkCollectorTests: XCTestCase {
  static func boxed(_ a: String) -> String { "Some work, so the answer is \\boxed{\(a)}." }

  func tempDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2r-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func collector(_ script: Stage0Script, samples: Int) -> S2RBenchmarkCollector {
    S2RBenchmarkCollector(
      data: S2RBehaviourData(samplesPerProblem: samples, temperature: 0.7), policy: script,
      verifier: S2RLLMVerificationSource(model: script), maxNewTokens: 32,
      format: S2RBenchmarkCollector.chatFormat(template: .chatML(defaultSystemPrompt: nil)))
  }

  func problem(_ id: String, _ q: String, _ a: String) -> Problem {
    Problem(id: id, prompt: q, kind: .math, reference: .answer(a), source: "t")
  }

  /// Hand-computed: 7 samples with answers 3, 18 (gold), 7, 3, 9, 11, 12 → 6 distinct; verified in
  /// the order 18, 3, 7, 9, 11 (gold first, cap 5: 12 is never verified). Verdicts: 18 correct
  /// (kept), 3 incorrect (kept), 7 "correct" (disagrees), 9 empty, 11 undetermined. wrongCount 6 →
  /// target 3 wrong attempts, pool 1 → one wrong attempt, kept with probability 1.
  func testGroupingVerificationAndTrajectory() async throws {
    let q = "Half of 36?"
    let answers = ["3", "18", "7", "3", "9", "11", "12"]
    let script = Stage0Script(
      policy: [q: answers.map(Self.boxed)],
      verifier: [
        "18": "Doubling 18 gives 36, so the answer checks out.",
        "3": "Doubling 3 gives 6, not 36. The answer is incorrect.",
        "7": "Therefore, the answer is correct.",
        "11": "Hmm, doubling.",
      ])
    let dir = try tempDir()
    let out = dir.appendingPathComponent("out.jsonl")
    let summary = try await collector(script, samples: 7).collect(
      problems: [problem("p1", q, "18")], output: out)
    XCTAssertEqual(script.verifiedAnswers, ["18", "3", "7", "9", "11"])
    XCTAssertEqual(summary.attempts, 7)
    XCTAssertEqual(summary.correct, 1)
    XCTAssertEqual(summary.distinctAnswers, 6)
    XCTAssertEqual(summary.verifierCalls, 5)
    XCTAssertEqual(summary.kept, 2)
    XCTAssertEqual(summary.discarded, ["disagrees-with-grader": 1, "empty": 1, "undetermined": 1])
    let rows = try JSONLReader.read(S2RSFTExample.self, from: out)
    XCTAssertEqual(rows.count, 1)
    XCTAssertEqual(
      rows[0].prompt,
      "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n"
        + "<|im_start|>user\nHalf of 36?<|im_end|>\n<|im_start|>assistant\n")
    XCTAssertEqual(
      rows[0].answer,
      "Some work, so the answer is \\boxed{3}.\n\nWait, let me recheck my solution.\n\n"
        + "Doubling 3 gives 6, not 36. The answer is incorrect.\n\nTherefore, the answer is incorrect."
        + "\n\nLet me try again.\n\n"
        + "Some work, so the answer is \\boxed{18}.\n\nWait, let me recheck my solution.\n\n"
        + "Doubling 18 gives 36, so the answer checks out.\n\nTherefore, the answer is correct.")
    XCTAssertEqual(rows[0].wrongAttempts, 1)
    XCTAssertEqual(summary.wrongAttemptHistogram, [1: 1])
  }

  /// A policy that is down on the second problem: the error names it and says how many problems are
  /// saved; the rerun samples only the unfinished problem and writes no duplicate.
  func testFailureKeepsFinishedProblemsAndResumeHasNoDuplicates() async throws {
    let script = Stage0Script(
      policy: ["A?": [Self.boxed("2"), Self.boxed("2")], "B?": [Self.boxed("5"), Self.boxed("4")]],
      verifier: [
        "2": "2 fits. The answer is correct.", "5": "5 fits. The answer is correct.", "4": "Is incorrect.",
      ])
    script.failOn = ["B?"]
    let dir = try tempDir()
    let out = dir.appendingPathComponent("out.jsonl")
    let problems = [problem("a", "A?", "2"), problem("b", "B?", "5")]
    do {
      _ = try await collector(script, samples: 2).collect(problems: problems, output: out)
      XCTFail("expected the policy failure")
    } catch let e as S2RBenchmarkError {
      guard case .failed(let stage, let id, let finished, _) = e else { return XCTFail("\(e)") }
      XCTAssertEqual([stage, id], ["policy", "b"])
      XCTAssertEqual(finished, 1)
    }
    // Problem a (wrongCount 0 → k = 1 kept with p ≈ 0.239) may or may not give a record; its stats line is there.
    let before = try JSONLReader.read(S2RSFTExample.self, from: out)
    XCTAssertEqual(
      try JSONLReader.read(S2RStage0ProblemStats.self, from: S2RBenchmarkCollector.statsFile(for: out)).map(
        \.id),
      ["a"])
    script.failOn = []
    let s = try await collector(script, samples: 2).collect(problems: problems, output: out)
    XCTAssertEqual(script.policyCalls, ["A?", "B?", "B?"])
    XCTAssertEqual(s.problems, 2)
    XCTAssertEqual(s.newProblems, 1)
    let after = try JSONLReader.read(S2RSFTExample.self, from: out)
    XCTAssertEqual(Array(after.prefix(before.count)), before)
    XCTAssertEqual(Set(after.map(\.id)).count, after.count)
    // b: wrongCount 1, pools 1 + 1 → one wrong attempt, kept with probability 0.5 — both outcomes are
    // legal, but a third run must add nothing.
    let again = try await collector(script, samples: 2).collect(problems: problems, output: out)
    XCTAssertEqual([again.newProblems, again.written], [0, 0])
    XCTAssertEqual(try JSONLReader.read(S2RSFTExample.self, from: out), after)
  }

  /// Chunks of 2: problems 0–1 go to the policy in one call (2 requests) and their distinct answers to
  /// the verifier in one call (2 + 2 queries), then problem 2 alone; the files are byte for byte those
  /// of problem-by-problem collection (6 calls of one request each).
  func testChunksAskTogetherAndWriteWhatOneByOneWrites() async throws {
    let script = {
      Stage0Script(
        policy: [
          "A?": [Self.boxed("2"), Self.boxed("3")], "B?": [Self.boxed("5"), Self.boxed("4")],
          "C?": [Self.boxed("7"), Self.boxed("7")],
        ],
        verifier: [
          "2": "2 fits. The answer is correct.", "3": "3 is too big. The answer is incorrect.",
          "5": "5 fits. The answer is correct.", "4": "4 does not fit, so it is incorrect.",
          "7": "7 fits. The answer is correct.",
        ])
    }
    let problems = [problem("a", "A?", "2"), problem("b", "B?", "5"), problem("c", "C?", "7")]
    let dir = try tempDir()
    var files: [[Data]] = []
    for w in [1, 2] {
      let s = script()
      var c = collector(s, samples: 2)
      c.problemsPerCall = w
      let out = dir.appendingPathComponent("w\(w).jsonl")
      var seen: [Int] = []
      let summary = try await c.collect(problems: problems, output: out) { done, _ in seen.append(done) }
      XCTAssertEqual(summary.problems, 3)
      XCTAssertEqual(summary.verifierCalls, 5)
      XCTAssertEqual(s.callSizes, w == 1 ? [1, 2, 1, 2, 1, 1] : [2, 4, 1, 1])
      XCTAssertEqual(seen, w == 1 ? [1, 2, 3] : [2, 3])
      files.append([
        try Data(contentsOf: out), try Data(contentsOf: S2RBenchmarkCollector.statsFile(for: out)),
      ])
    }
    XCTAssertEqual(files[0], files[1])
    XCTAssertFalse(files[0][1].isEmpty)
  }

  func testVerifierFailureAndGarbagePolicy() async throws {
    let script = Stage0Script(policy: ["A?": [Self.boxed("2")]], verifier: [:])
    script.verifierFails = true
    let dir = try tempDir()
    do {
      _ = try await collector(script, samples: 1).collect(
        problems: [problem("a", "A?", "2")], output: dir.appendingPathComponent("v.jsonl"))
      XCTFail("expected the verifier failure")
    } catch let e as S2RBenchmarkError {
      guard case .failed("verifier", "a", 0, _) = e else { return XCTFail("\(e)") }
      XCTAssertTrue(e.description.contains("rerun to resume"))
    }
    // The policy answers with fewer samples than asked: a clear error, not a silent short record.
    do {
      _ = try await collector(script, samples: 3).sample(problem("a", "A?", "2"), index: 0)
      XCTFail("expected an error")
    } catch let e as S2RBenchmarkError {
      XCTAssertEqual(e, .policyReplies(id: "a", expected: 3, got: 1))
    }
  }

  func testLoadProblemsSkipsRowsWithoutAnswerWithFileLine() throws {
    let dir = try tempDir()
    let f = dir.appendingPathComponent("g.jsonl")
    try """
    {"question": "1+1?", "answer": "1+1=2\\n#### 2"}
    {"question": "no answer here"}

    {"question": "2+2?", "answer": "#### 4"}
    {"question": "1+1?", "answer": "#### 2"}
    """.write(to: f, atomically: true, encoding: .utf8)
    let (problems, skipped, nonMath) = try S2RBenchmarkCollector.loadProblems(f.path)
    XCTAssertEqual(problems.map(\.answer), ["2", "4", "2"])  // ids are file-line, so the repeat stays
    XCTAssertEqual(skipped.map(\.line), [2])
    XCTAssertTrue(skipped[0].description.contains("g.jsonl:2"))
    XCTAssertEqual(nonMath, 0)
  }
}
