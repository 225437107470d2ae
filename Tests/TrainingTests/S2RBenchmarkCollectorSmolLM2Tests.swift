import Datasets
import Foundation
import Generation
import Models
import Rollouts
import TestSupport
import Training
import Verifiers
import XCTest

/// Stage 0 with the real SmolLM2-135M-Instruct GGUF as policy and verifier, on 2 GSM8K-layout
/// problems (2 samples, short replies): checks the plumbing on real text — chat prompt, grading,
/// one verifier call per distinct answer, accounting, normalised verdicts, resume — not accuracy.
final class S2RBenchmarkCollectorSmolLM2Tests: XCTestCase {
  static var modelURL: URL { TestFixtures.smolLM2GGUF }

  func testStage0WithSmolLM2() async throws {
    let url = Self.modelURL
    guard FileManager.default.fileExists(atPath: url.path) else {
      let message =
        "SKIPPING SmolLM2 STAGE-0 TEST: \(url.path) is absent — run `bash Scripts/fetch-smollm2.sh`"
      FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
      throw XCTSkip(message)
    }
    let bundle = try ModelBundle.load(url)
    let model = NativeLanguageModel(
      name: "smollm2", model: bundle.model, tokenizer: bundle.tokenizer, template: bundle.template)
    let collector = S2RBenchmarkCollector(
      data: S2RBehaviourData(samplesPerProblem: 2, temperature: 0.7, singleAttemptFraction: 1), policy: model,
      verifier: S2RLLMVerificationSource(
        model: model, params: SamplingParams(temperature: 0.1, maxNewTokens: 24)),
      maxNewTokens: 24, format: S2RBenchmarkCollector.chatFormat(template: bundle.template))
    let problems = [
      Problem(id: "g1", prompt: "What is 2 + 3?", kind: .math, reference: .answer("5"), source: "t"),
      Problem(
        id: "g2", prompt: "Tom has 4 apples and eats 1. How many apples are left?", kind: .math,
        reference: .answer("3"), source: "t"),
    ]
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2r-smol-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out.jsonl")
    let start = Date()
    let s = try await collector.collect(problems: problems, output: out)
    let stats = try JSONLReader.read(
      S2RStage0ProblemStats.self, from: S2RBenchmarkCollector.statsFile(for: out))
    print("SmolLM2 stage 0, 2 problems: \(s.description) in \(Date().timeIntervalSince(start)) s")
    XCTAssertEqual(stats.map(\.id), ["g1", "g2"])
    XCTAssertEqual(s.attempts, 4)
    for p in stats {
      XCTAssertEqual(p.verifierCalls, min(p.distinctAnswers, 5))
      XCTAssertEqual(p.kept + p.discarded.values.reduce(0, +), p.verifierCalls)
      XCTAssertLessThanOrEqual(p.correct, p.answered)
    }
    for e in try JSONLReader.read(S2RSFTExample.self, from: out) {
      XCTAssertTrue(e.prompt.hasPrefix("<|im_start|>system\nPlease reason step by step"))
      XCTAssertTrue(e.prompt.hasSuffix("<|im_start|>assistant\n"))
      // Every action pair "attempt CHECK verification" ends in exactly one fixed verdict sentence.
      for pair in e.answer.components(separatedBy: S2RTrajectory.retryMarker) {
        let parts = pair.components(separatedBy: S2RTrajectory.checkMarker)
        XCTAssertEqual(parts.count, 2, pair)
        XCTAssertTrue(S2RVerdictSentence.endsWithExactlyOne(parts.last!), pair)
      }
    }
    let again = try await collector.collect(problems: problems, output: out)
    XCTAssertEqual([again.newProblems, again.written, again.problems], [0, 0, 2])
  }
}
