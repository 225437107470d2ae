import Foundation
import TestSupport
import XCTest

@testable import Models

/// The real SmolLM2-135M-Instruct Q4_1 GGUF (Scripts/fetch-smollm2.sh caches it; CI fetches it
/// before testing). Expected values come from gguf-py (Fixtures/smollm2.expected.json).
final class SmolLM2GGUFTests: XCTestCase {
  /// Same location rule as Scripts/fetch-smollm2.sh.
  static var modelURL: URL { TestFixtures.smolLM2GGUF }

  private func openModel() throws -> GGUFCheckpoint {
    let url = Self.modelURL
    guard FileManager.default.fileExists(atPath: url.path) else {
      let message = "SKIPPING SmolLM2 GGUF TESTS: \(url.path) is absent — run `bash Scripts/fetch-smollm2.sh`"
      FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
      throw XCTSkip(message)
    }
    return try GGUFCheckpoint(url: url)
  }

  func testMetadataAndConfig() throws {
    let start = Date()
    let model = try openModel()
    let loadSeconds = Date().timeIntervalSince(start)
    let meta = try XCTUnwrap(try Fixtures.json("smollm2.expected.json")["metadata"] as? [String: Any])
    func int(_ key: String) -> Int? { (meta[key] as? NSNumber)?.intValue }
    let file = model.file
    XCTAssertEqual(Int(file.version), int("version"))
    XCTAssertEqual(file.tensorInfos.count, int("tensor_count"))
    XCTAssertEqual(file.metadataKeys.count, int("kv_count"))
    XCTAssertEqual(file.architecture, "llama")
    XCTAssertEqual(file.metadata["tokenizer.ggml.tokens"]?.stringArray?.count, int("vocab"))
    XCTAssertEqual(file.metadata["tokenizer.ggml.tokens"]?.stringArray?[100], meta["token_100"] as? String)
    XCTAssertEqual(file.metadata["tokenizer.ggml.merges"]?.arrayValue?.count, int("merges"))
    let c = model.config
    XCTAssertEqual(c.modelType, "llama")
    XCTAssertEqual(c.numHiddenLayers, 30)
    XCTAssertEqual(c.hiddenSize, 576)
    XCTAssertEqual(c.numAttentionHeads, 9)
    XCTAssertEqual(c.numKeyValueHeads, 3)
    XCTAssertEqual(c.headDim, 64)
    XCTAssertEqual(c.intermediateSize, 1536)
    XCTAssertEqual(c.vocabSize, 49152)
    XCTAssertEqual(c.maxPositionEmbeddings, 8192)
    XCTAssertEqual(c.ropeTheta, 100_000)
    XCTAssertEqual(c.rmsNormEps, 1e-5)
    XCTAssertTrue(c.tieWordEmbeddings)  // no output.weight in the file
    XCTAssertEqual(c.bosTokenId, int("bos"))
    XCTAssertEqual(c.eosTokenIds, [int("eos")!])
    XCTAssertEqual(model.tensorNames.count, 272)
    XCTAssertEqual(model.unmappedTensorNames, [])
    print(String(format: "SmolLM2 GGUF: open + parse metadata and tensor infos: %.1f ms", loadSeconds * 1000))
  }

  func testSampledValuesMatchGGUFPy() throws {
    let model = try openModel()
    let fixture = try Fixtures.json("smollm2.expected.json")
    let samples = try XCTUnwrap(fixture["samples"] as? [String: [String: Any]])
    var typesSeen = Set<Int>()
    for (name, entry) in samples {
      let tensor = try model.file.dequantize(named: name)
      let info = try XCTUnwrap(model.file.info(named: name))
      typesSeen.insert(Int(info.type.rawValue))
      XCTAssertEqual(Int(info.type.rawValue), (entry["type"] as? NSNumber)?.intValue, name)
      XCTAssertEqual(tensor.shape, try Fixtures.ints(entry["shape"]), name)
      let indices = try Fixtures.ints(entry["indices"])
      assertSameValues(indices.map { tensor.data[$0] }, try Fixtures.floats(entry["values"]), name)
      let sum = tensor.data.reduce(0.0) { $0 + Double($1) }
      let expectedSum = try XCTUnwrap((entry["sum"] as? NSNumber)?.doubleValue)
      XCTAssertEqual(
        sum, expectedSum, accuracy: 1e-9 * max(1, tensor.data.reduce(0.0) { $0 + abs(Double($1)) }), name)
    }
    XCTAssertEqual(typesSeen, [0, 3, 8])  // F32, Q4_1, Q8_0: every type in the file
    // Hugging Face-order q/k: un-permuted independently in numpy by the fixture script.
    let hf = try XCTUnwrap(fixture["huggingface"] as? [String: [String: Any]])
    for (name, entry) in hf {
      let tensor = try model.tensor(named: name)
      XCTAssertEqual(tensor.shape, try Fixtures.ints(entry["shape"]))
      let cols = tensor.shape[1]
      let picks = zip(try Fixtures.ints(entry["rows"]), try Fixtures.ints(entry["cols"])).map {
        tensor.data[$0 * cols + $1]
      }
      assertSameValues(picks, try Fixtures.floats(entry["values"]), name)
    }
  }

  /// Every tensor dequantises without error; prints the throughput (stored MB per second).
  func testEveryTensorDequantizes() throws {
    let model = try openModel()
    let file = model.file
    var storedBytes = 0
    var values = 0
    var nonFinite = 0
    var seconds = 0.0
    for info in file.tensorInfos {
      let start = Date()
      let tensor = try file.dequantize(named: info.name)
      seconds += Date().timeIntervalSince(start)
      storedBytes += info.byteCount ?? 0
      values += tensor.count
      nonFinite += tensor.data.lazy.filter { !$0.isFinite }.count
    }
    XCTAssertEqual(nonFinite, 0)
    XCTAssertEqual(values, 134_515_008)  // SmolLM2-135M's parameter count (tied embeddings)
    print(
      String(
        format:
          "SmolLM2 GGUF: dequantised %d tensors, %.1f MB stored → %.1f M floats in %.3f s = %.0f MB/s stored, %.0f M values/s",
        file.tensorInfos.count, Double(storedBytes) / 1e6, Double(values) / 1e6, seconds,
        Double(storedBytes) / 1e6 / seconds, Double(values) / 1e6 / seconds))
  }
}
