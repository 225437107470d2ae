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
    try SyntheticDatasetFile.jsonl(
      SyntheticDatasetFile.generate(
        SyntheticDatasetConfig(count: 7, seed: 11, kinds: [.arithmetic, .linearEquation]))
    ).write(toFile: data, atomically: true, encoding: .utf8)
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

  /// The CLI end to end: `recheck eval` on a saved tiny checkpoint; the results file is then cut as a
  /// crash would leave it (4 whole lines and half of the 5th) and the same command is rerun. The file
  /// must come back byte-identical to the uninterrupted run's, and so must the summary.
  func testCLIResumesACrashCutResultsFile() throws {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let binary = repo.appendingPathComponent(".build/release/recheck")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
      throw XCTSkip("build the recheck product first (swift build -c release)")
    }
    let root = temporaryDirectory("cli-resume")
    let data = root.appendingPathComponent("synth.jsonl").path
    try SyntheticDatasetFile.jsonl(SyntheticDatasetFile.generate(SyntheticDatasetConfig(count: 9, seed: 2)))
      .write(toFile: data, atomically: true, encoding: .utf8)
    let modelDir = root.appendingPathComponent("tiny")
    let native = makeModel()
    try native.model.save(
      to: modelDir,
      tokenizer: .data(try SyntheticFormat.tokenizer().jsonData(), name: "tokenizer.json"))
    func eval(_ out: URL) throws -> String {
      let p = Process()
      p.executableURL = binary
      p.arguments = [
        "eval", "--data", data, "--model", modelDir.path, "--out", out.path, "--protocol", "score",
        "--turns", "2", "--max-tokens", "8", "--temperature", "0.7", "--seed", "9", "--batch-size", "2",
        "--bootstrap", "100", "--quiet",
      ]
      let pipe = Pipe()
      p.standardOutput = pipe
      p.standardError = FileHandle.nullDevice
      try p.run()
      let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      p.waitUntilExit()
      XCTAssertEqual(p.terminationStatus, 0, text)
      return text
    }
    let full = root.appendingPathComponent("full")
    let table = try eval(full)
    XCTAssertTrue(table.contains("Acc@t2"), table)
    let fullBytes = try Data(contentsOf: full.appendingPathComponent("results.jsonl"))
    let lines = fullBytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    XCTAssertEqual(lines.count, 10)  // 9 lines + the empty piece after the last newline

    let cut = root.appendingPathComponent("cut")
    try FileManager.default.createDirectory(at: cut, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: full.appendingPathComponent("config.json"), to: cut.appendingPathComponent("config.json"))
    let keep = lines.prefix(4).reduce(0) { $0 + $1.count + 1 } + lines[4].count / 2
    try fullBytes.prefix(keep).write(to: cut.appendingPathComponent("results.jsonl"))
    _ = try eval(cut)
    XCTAssertEqual(try Data(contentsOf: cut.appendingPathComponent("results.jsonl")), fullBytes)
    XCTAssertEqual(
      try Data(contentsOf: cut.appendingPathComponent("summary.json")),
      try Data(contentsOf: full.appendingPathComponent("summary.json")))
  }
}
