import Foundation
import XCTest

@testable import Models

final class CheckpointDirectoryTests: XCTestCase {
  private func tinyTensors(_ config: ModelConfig) throws -> [HostTensor] {
    let d = config.hiddenSize
    return [
      try HostTensor(
        name: "model.embed_tokens.weight", shape: [config.vocabSize, d],
        data: (0..<(config.vocabSize * d)).map { Float($0 % 17) / 16 }),
      try HostTensor(name: "model.norm.weight", shape: [d], data: Array(repeating: 1, count: d)),
    ]
  }

  func testWriteAndReadBackNewDirectory() throws {
    let parent = try temporaryDirectory()
    let url = parent.appendingPathComponent("run1/checkpoint-100")
    let config = try ModelConfig.preset(.tiny, vocabSize: 20)
    let tensors = try tinyTensors(config)
    let tokenizer = Data(#"{"model": {"type": "BPE"}}"#.utf8)
    let written = try CheckpointDirectory.write(
      to: url, config: config, tensors: tensors, tokenizer: .data(tokenizer, name: "tokenizer.json"))
    let files = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    XCTAssertEqual(files, ["config.json", "model.safetensors", "tokenizer.json"])
    // No staging directory is left behind in the parent.
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path),
      ["checkpoint-100"])
    let read = try CheckpointDirectory(url: url)
    var expectedConfig = config
    expectedConfig.torchDtype = "float32"
    XCTAssertEqual(read.config, expectedConfig)
    XCTAssertEqual(written.config, expectedConfig)
    XCTAssertEqual(
      try read.tensors.loadAllTensors().sorted { $0.name < $1.name }, tensors.sorted { $0.name < $1.name })
    XCTAssertEqual(try Data(contentsOf: try XCTUnwrap(read.file(named: "tokenizer.json"))), tokenizer)
    XCTAssertNil(read.file(named: "generation_config.json"))
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o755)
  }

  func testOverwriteExistingDirectoryAsBF16WithTokenizerFile() throws {
    let url = try temporaryDirectory()
    let config = try ModelConfig.preset(.tiny, vocabSize: 20)
    try CheckpointDirectory.write(to: url, config: config, tensors: try tinyTensors(config))
    let source = try temporaryDirectory().appendingPathComponent("vocab.txt")
    try Data("a\nb\n".utf8).write(to: source)
    let read = try CheckpointDirectory.write(
      to: url, config: config, tensors: try tinyTensors(config), dtype: .bf16, tokenizer: .file(source))
    XCTAssertEqual(read.config.torchDtype, "bfloat16")
    XCTAssertEqual(try Data(contentsOf: url.appendingPathComponent("vocab.txt")), Data("a\nb\n".utf8))
    // Values k/16 with k < 17 are exact in bfloat16.
    XCTAssertEqual(try read.tensors.tensor(named: "model.embed_tokens.weight"), try tinyTensors(config)[0])
    XCTAssertEqual(
      Set(try FileManager.default.contentsOfDirectory(atPath: url.path)),
      ["config.json", "model.safetensors", "vocab.txt"])
  }

  func testInvalidConfigWritesNothing() throws {
    let url = try temporaryDirectory().appendingPathComponent("bad")
    var config = try ModelConfig.preset(.tiny, vocabSize: 20)
    config.numKeyValueHeads = 3
    XCTAssertThrowsError(try CheckpointDirectory.write(to: url, config: config, tensors: []))
    XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    XCTAssertThrowsError(
      try CheckpointDirectory.write(
        to: url, config: try ModelConfig.preset(.tiny, vocabSize: 20), tensors: [],
        tokenizer: .data(Data(), name: "../x")))
    XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
  }

  func testReadsShardedDirectoryAndReportsMissingWeights() throws {
    let dir = try temporaryDirectory()
    for name in [
      "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json",
    ] {
      try FileManager.default.copyItem(
        at: Fixtures.url("sharded/\(name)"), to: dir.appendingPathComponent(name))
    }
    XCTAssertThrowsError(try CheckpointDirectory(url: dir)) { error in
      XCTAssertTrue("\(error)".contains("config.json"), "\(error)")
    }
    try ModelConfig.preset(.tiny, vocabSize: 20).jsonData().write(
      to: dir.appendingPathComponent("config.json"))
    let checkpoint = try CheckpointDirectory(url: dir)
    XCTAssertEqual(checkpoint.tensors.tensorNames, ["model.a", "model.b", "model.c"])
    try FileManager.default.removeItem(at: dir.appendingPathComponent("model.safetensors.index.json"))
    XCTAssertThrowsError(try CheckpointDirectory(url: dir)) { error in
      XCTAssertTrue("\(error)".contains("neither model.safetensors nor"), "\(error)")
    }
  }
}
