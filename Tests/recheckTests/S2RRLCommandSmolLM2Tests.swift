import Foundation
import Models
import TestSupport
import Tokenizers
import XCTest

@testable import recheck

/// `recheck s2r rl` from the real SmolLM2-135M-Instruct GGUF on 2 GSM8K-layout problems (the
/// fixture's row without an answer is skipped): one outcome step, 1 problem × 2 samples × 32 tokens,
/// then the written Hugging Face directory loads again with the GGUF's tokenizer and chat template.
/// Plumbing, not accuracy. Skips loudly without the model (`bash Scripts/fetch-smollm2.sh`).
final class S2RRLCommandSmolLM2Tests: XCTestCase {
  static var modelURL: URL { TestFixtures.smolLM2GGUF }

  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scripts/fixtures/s2r-easy-gsm8k.jsonl")

  func testOneOutcomeStepOnGSM8KWritesAHuggingFaceDirectoryThatLoads() throws {
    let gguf = Self.modelURL
    guard FileManager.default.fileExists(atPath: gguf.path) else {
      let message =
        "SKIPPING SmolLM2 S2R RL TEST: \(gguf.path) is absent — run `bash Scripts/fetch-smollm2.sh`"
      FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
      throw XCTSkip(message)
    }
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "s2r-rl-smollm2-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let lines = try String(contentsOf: Self.fixture, encoding: .utf8).split(separator: "\n")
    // Two problems with answers and the row without one.
    let data = root.appendingPathComponent("gsm8k.jsonl")
    try ([lines[0], lines[1], lines[4]].joined(separator: "\n") + "\n").write(
      to: data, atomically: true, encoding: .utf8)
    let run = root.appendingPathComponent("run")
    let command = try S2RRLCommand.parse([
      "--model", gguf.path, "--data", data.path, "--out", run.path, "--steps", "1", "--prompts", "1",
      "--samples", "2", "--max-tokens", "32",
    ])
    try command.run()
    let config = try String(contentsOf: run.appendingPathComponent("config.json"), encoding: .utf8)
    XCTAssertTrue(config.contains(#""problems" : 2"#))
    let metrics = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
    XCTAssertEqual(metrics.split(separator: "\n").count, 1)

    let source = try ModelBundle.load(gguf, keepQuantized: false)
    let trained = try TrainingModel.load(run.appendingPathComponent("model").path)
    XCTAssertTrue(trained.isBPE)
    XCTAssertEqual(trained.template, source.template)
    XCTAssertEqual(trained.model.config.vocabSize, source.model.config.vocabSize)
    let prompt = Self.chatPrompt(trained.template)
    XCTAssertEqual(
      trained.tokenizer.encode(prompt, options: .special), source.tokenizer.encode(prompt, options: .special))
    XCTAssertEqual(
      trained.tokenizer.specialTokenID("<|im_end|>"), source.tokenizer.specialTokenID("<|im_end|>"))
  }

  /// A rendered chat prompt (special tokens included) to compare the two tokenizers on.
  static func chatPrompt(_ template: ChatTemplate) -> String {
    template.render([.system("Be brief."), .user("What is 2 + 3?")], addGenerationPrompt: true)
  }
}
