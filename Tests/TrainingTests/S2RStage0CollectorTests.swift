import Datasets
import Foundation
import Generation
import Models
import Rollouts
import TensorCore
import TestSupport
import Training
import XCTest

final class S2RStage0CollectorTests: XCTestCase {
  static let problems = S2RStage0Collector.deduplicated(
    SyntheticDatasetFile.generate(
      SyntheticDatasetConfig(count: 7, seed: 11, minDifficulty: 2, maxDifficulty: 3)))

  /// Attempts scripted from the task generator (a seeded mix of right and wrong solutions per
  /// problem index), so every problem yields trajectories and resumption is checked on real
  /// records rather than on an empty file.
  static func scripted(_ problems: [SyntheticProblem], first: Int) -> [S2RStage0Problem] {
    problems.enumerated().map { i, p in
      var rng = SeededGenerator(seed: UInt64(first + i) &+ 5)
      let attempts = (0..<5).map { k -> S2RSampledAttempt in
        if k == (first + i) % 5 {
          return S2RSampledAttempt(text: SyntheticTask.solution(for: p), answer: "\(p.answer)", correct: true)
        }
        let w = SyntheticTask.wrongSolution(for: p, using: &rng)
        return S2RSampledAttempt(text: w.text, answer: "\(w.answer)", correct: false)
      }
      return S2RStage0Problem(id: p.text, problem: p.text, attempts: attempts)
    }
  }

  func tempDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "s2r-collect-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func testInterruptedThenResumedRunWritesTheUninterruptedFile() async throws {
    let problems = Self.problems
    XCTAssertGreaterThanOrEqual(problems.count, 6)
    let data = S2RBehaviourData(seed: 3, singleAttemptFraction: 0.5)
    let collector = S2RStage0Collector(data: data, chunkSize: 3) { Self.scripted($0, first: $1) }
    let dir = try tempDir()

    let full = dir.appendingPathComponent("full.jsonl")
    let summary = try await collector.collect(problems: problems, output: full)
    let reference = try JSONLReader.read(S2RSFTExample.self, from: full)
    XCTAssertEqual(summary.written, reference.count)
    XCTAssertGreaterThan(reference.count, problems.count / 2)
    XCTAssertEqual(Set(reference.map(\.id)).count, reference.count, "duplicate ids")

    // Interruption: only a prefix of the list ran (chunk 1 cut short), then a crash tore the last
    // record mid-write and lost the last chunk marker.
    let resumed = dir.appendingPathComponent("resumed.jsonl")
    _ = try await collector.collect(problems: Array(problems.prefix(4)), output: resumed)
    let partial = try JSONLReader.read(S2RSFTExample.self, from: resumed)
    XCTAssertLessThan(partial.count, reference.count)
    XCTAssertEqual(partial, Array(reference.prefix(partial.count)))
    let handle = try FileHandle(forWritingTo: resumed)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(#"{"id":"torn","prom"#.utf8))
    try handle.close()
    let chunks = S2RStage0Collector.chunkFile(for: resumed)
    let markerLines = try String(contentsOf: chunks, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(markerLines.count, 2)
    try (markerLines[0] + "\n").write(to: chunks, atomically: true, encoding: .utf8)

    let second = try await collector.collect(problems: problems, output: resumed)
    XCTAssertEqual(second.skippedChunks, 1)
    XCTAssertEqual(second.written + partial.count, reference.count)
    XCTAssertEqual(try Data(contentsOf: resumed), try Data(contentsOf: full))
    XCTAssertEqual(
      try Data(contentsOf: chunks), try Data(contentsOf: S2RStage0Collector.chunkFile(for: full)))

    // A rerun of a finished file does nothing.
    let third = try await collector.collect(problems: problems, output: resumed)
    XCTAssertEqual(third.skippedChunks, third.chunks)
    XCTAssertEqual(third.written, 0)
    XCTAssertEqual(try JSONLReader.read(S2RSFTExample.self, from: resumed), reference)
  }

  /// With a real (tiny, seeded) model: a chunk's samples are those of one whole-list `sample`
  /// call, and an interrupted run resumes to the same files.
  func testModelSamplerMatchesWholeListSamplingAndResumes() async throws {
    let tokenizer = SyntheticFormat.tokenizer()
    let config = ModelConfig(
      vocabSize: tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1,
      numAttentionHeads: 2, numKeyValueHeads: 1, maxPositionEmbeddings: 160)
    var rng = SeededRNG(seed: 9)
    let model = Transformer(config: config, rng: &rng)
    let problems = Array(Self.problems.prefix(6))
    let data = S2RBehaviourData(samplesPerProblem: 2, temperature: 1, seed: 4)
    let collector = S2RStage0Collector(data: data, base: model, tokenizer: tokenizer, chunkSize: 2)

    let whole = data.sample(base: model, tokenizer: tokenizer, problems: problems)
    let chunk = try await collector.sampler(Array(problems[2..<4]), 2)
    XCTAssertEqual(chunk, Array(whole[2..<4]))
    XCTAssertNotEqual(whole[2].attempts.map(\.text), whole[3].attempts.map(\.text))

    let dir = try tempDir()
    let full = dir.appendingPathComponent("full.jsonl")
    let fullSummary = try await collector.collect(problems: problems, output: full)
    XCTAssertEqual(fullSummary.chunks, 3)
    let resumed = dir.appendingPathComponent("resumed.jsonl")
    _ = try await collector.collect(problems: Array(problems.prefix(3)), output: resumed)
    let second = try await collector.collect(problems: problems, output: resumed)
    XCTAssertEqual(second.skippedChunks, 1)
    XCTAssertEqual(try Data(contentsOf: resumed), try Data(contentsOf: full))
    // chunk-0/2, chunk-1/1 (the cut-short chunk), then chunk-1/2 and chunk-2/2 on resuming.
    let markers = try String(contentsOf: S2RStage0Collector.chunkFile(for: resumed), encoding: .utf8)
    XCTAssertEqual(markers.split(separator: "\n").count, 4)
  }

  /// Stage 0 through a real OpenAI-compatible server (llama.cpp with SmolLM2-135M, as
  /// `recheck s2r collect --api-base URL --model NAME` runs it): K text completions per problem
  /// with the native collector's seeds, graded by the synthetic checker, chunk markers written, and
  /// a rerun skipping every chunk. Skips loudly when the server's venv or model is missing.
  func testServerSamplerCollectsAndResumes() async throws {
    let server: LlamaCppTestServer
    switch LlamaCppTestServer.start() {
    case .running(let s): server = s
    case .unavailable(let reason):
      print("S2RStage0CollectorTests: \(reason)")
      throw XCTSkip(reason)
    case .failed(let why): return XCTFail(why)
    }
    defer { server.stop() }
    let model = try OpenAICompatibleModel(
      config: OpenAIBackendConfig(
        baseURL: server.baseURL, model: "smollm2", maxConcurrency: 2, maxRetries: 2, timeout: 120))
    let problems = Array(Self.problems.prefix(3))
    let data = S2RBehaviourData(samplesPerProblem: 2, temperature: 0, seed: 4)

    let sampled = try await data.sample(model: model, problems: problems, maxNewTokens: 12)
    XCTAssertEqual(sampled.map(\.id), problems.map(\.text))
    for (s, p) in zip(sampled, problems) {
      XCTAssertEqual(s.attempts.count, 2)
      for a in s.attempts {
        XCTAssertFalse(a.text.isEmpty, "empty completion for \(p.text.debugDescription)")
        let graded = SyntheticFormat.score(p, attempt: a.text)
        XCTAssertEqual(a.correct, graded.correct)
        XCTAssertEqual(a.answer, graded.extracted.map(String.init) ?? "")
      }
      // Greedy: both samples of a problem agree whatever their seeds.
      XCTAssertEqual(s.attempts[0].text, s.attempts[1].text)
    }

    let collector = S2RStage0Collector(data: data, model: model, maxNewTokens: 12, chunkSize: 2)
    let out = try tempDir().appendingPathComponent("server.jsonl")
    let first = try await collector.collect(problems: problems, output: out)
    XCTAssertEqual(first.chunks, 2)
    XCTAssertEqual(first.skippedChunks, 0)
    let again = try await collector.collect(problems: problems, output: out)
    XCTAssertEqual(again.skippedChunks, 2)
    XCTAssertEqual(again.written, 0)
  }
}
