import Datasets
import Foundation
import Generation
import Models
import Rollouts
import TensorCore
import XCTest

@testable import Evaluation

/// The resume contract end to end with a real (tiny, random) native transformer on a synthetic file:
/// a run stopped mid-batch and rerun yields the same lines and the same summary as an uninterrupted run.
final class EvalResumeNativeTests: XCTestCase {
  func makeModel() -> NativeLanguageModel {
    let tokenizer = SyntheticFormat.tokenizer()
    let config = ModelConfig(
      vocabSize: tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1,
      numAttentionHeads: 2, maxPositionEmbeddings: 256, eosTokenIds: [tokenizer.eosTokenID!], padTokenId: 0)
    var rng = SeededRNG(seed: 3)
    let transformer = Transformer(config: config, initStd: 0.5, rng: &rng)
    return NativeLanguageModel(model: transformer, tokenizer: tokenizer, template: .plain, maxBatch: 16)
  }

  func testInterruptedRunResumesToTheSameResults() async throws {
    let root = temporaryDirectory("resume-native")
    let data = root.appendingPathComponent("synth.jsonl").path
    try SyntheticDatasetFile.write(
      SyntheticDatasetFile.generate(
        SyntheticDatasetConfig(count: 7, seed: 11, kinds: [.arithmetic, .linearEquation])),
      to: data)
    let items = try EvalDataset.load(data)
    XCTAssertEqual(items.map(\.task), Array(repeating: .synthetic, count: 7))
    let config = EvalConfig(
      dataset: data, evalProtocol: .score(turns: 2),
      params: SamplingParams(temperature: 0.7, maxNewTokens: 8),
      seed: 9, layout: .text, batchSize: 3, bootstrapResamples: 200)
    let runner = EvalRunner(model: makeModel(), config: config, grader: EvalGrader())

    func summary(_ dir: EvalRunDirectory) throws -> EvalSummary {
      try EvalSummary.compute(
        dir.records(), name: "tiny", evalProtocol: config.evalProtocol, resamples: 200, seed: config.seed)
    }

    let full = EvalRunDirectory(url: root.appendingPathComponent("full"))
    try full.prepare(.init(config: config, backend: "native", recheckVersion: "0"))
    try await runner.run(items, writer: try ResumableJSONLWriter(url: full.resultsURL))

    let resumed = EvalRunDirectory(url: root.appendingPathComponent("resumed"))
    try resumed.prepare(.init(config: config, backend: "native", recheckVersion: "0"))
    struct Killed: Error {}
    do {
      // Stop after 4 records: inside the second batch of 3, so the rerun batches differently.
      try await runner.run(items, writer: try ResumableJSONLWriter(url: resumed.resultsURL)) {
        if $0.done == 4 { throw Killed() }
      }
      XCTFail("expected the simulated kill")
    } catch is Killed {}
    XCTAssertEqual(try resumed.records().count, 4)
    var progress: [EvalProgress] = []
    let written = try await runner.run(items, writer: try ResumableJSONLWriter(url: resumed.resultsURL)) {
      progress.append($0)
    }
    XCTAssertEqual(written, 3)
    XCTAssertEqual(
      progress.last, EvalProgress(done: 3, pending: 3, resumed: 4, total: 7, lastID: "synthetic-7"))

    let lines = try String(contentsOf: resumed.resultsURL, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.count, 7)
    let a = try full.records()
    let b = try resumed.records()
    XCTAssertEqual(Set(b.map(\.id)).count, 7, "no duplicated ids")
    XCTAssertEqual(b.map(\.id), items.map(\.problem.id), "no missing ids, file order kept")
    XCTAssertEqual(a, b, "resumed records equal the uninterrupted run's")
    XCTAssertEqual(try summary(full), try summary(resumed))
    // The model really generated: every attempt has tokens and the turn-2 context holds y1.
    XCTAssertTrue(a.allSatisfy { $0.attempts.count == 2 && ($0.attempts[0].tokens ?? 0) > 0 })
    guard case .text(let x2) = a[0].attempts[1].prompt! else { return XCTFail("text layout expected") }
    XCTAssertEqual(
      x2,
      items[0].problem.prompt + "\n" + a[0].attempts[0].text + "\n" + SyntheticFormat.scoreInstruction + "\n")
  }
}
