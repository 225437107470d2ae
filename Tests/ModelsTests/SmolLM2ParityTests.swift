import Foundation
import Models
import TensorCore
import XCTest

/// The transformer running SmolLM2-135M-Instruct (Q4_1 GGUF, dequantised to Float32) against
/// llama.cpp's own outputs on the same file (Fixtures/smollm2-llamacpp.json, written by
/// Scripts/make-smollm2-fixture.py).
///
/// Tolerance: llama.cpp multiplies Q4_1 weights with activations it first quantises to 8 bits
/// (Q8_1), while Recheck multiplies the dequantised weights with exact Float32 activations. The
/// two therefore differ by the activation-quantisation error (≈0.4 % relative per dot product,
/// compounding over 30 layers), i.e. ~0.1–0.3 on logits of magnitude ~20. We require: the top-1
/// id equal, the top-5 ids equal as a set, every compared logit within 0.5, and the greedy
/// 32-token continuation identical.
final class SmolLM2ParityTests: XCTestCase {
  nonisolated(unsafe) static var model: Transformer?

  func loadModel() throws -> Transformer {
    if let m = Self.model { return m }
    let url = SmolLM2GGUFTests.modelURL
    guard FileManager.default.fileExists(atPath: url.path) else {
      let message = "SKIPPING SmolLM2 PARITY: \(url.path) is absent — run `bash Scripts/fetch-smollm2.sh`"
      FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
      throw XCTSkip(message)
    }
    let m = try Transformer.load(from: url)
    Self.model = m
    return m
  }

  struct Entry: Decodable {
    struct Position: Decodable {
      let position: Int
      let top_ids: [Int]
      let top_logits: [Double]
    }
    let prompt: String
    let prompt_ids: [Int]
    let positions: [Position]
    let greedy_ids: [Int]
  }

  func entries() throws -> [Entry] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "Fixtures/smollm2-llamacpp.json")
    struct File: Decodable { let logits: [Entry] }
    return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).logits
  }

  func testLogitsMatchLlamaCpp() throws {
    let model = try loadModel()
    var worst = 0.0
    for e in try entries() {
      let logits = withNoGrad { model(e.prompt_ids, batch: 1) }.toArray()  // (1, T, V)
      let v = model.config.vocabSize
      for p in e.positions {
        let row = Array(logits[(p.position * v)..<((p.position + 1) * v)])
        let top = row.indices.sorted { row[$0] > row[$1] }
        XCTAssertEqual(top[0], p.top_ids[0], "\(e.prompt) position \(p.position): top-1")
        XCTAssertEqual(
          Set(top.prefix(5)), Set(p.top_ids.prefix(5)), "\(e.prompt) position \(p.position): top-5")
        for (id, ref) in zip(p.top_ids.prefix(5), p.top_logits) {
          worst = max(worst, abs(Double(row[id]) - ref))
          XCTAssertEqual(Double(row[id]), ref, accuracy: 0.5, "\(e.prompt) position \(p.position) id \(id)")
        }
      }
    }
    print("SmolLM2 parity: max |logit − llama.cpp| over compared entries = \(worst)")
  }

  func testGreedyContinuationMatchesLlamaCpp() throws {
    let model = try loadModel()
    for e in try entries() {
      let cache = KVCache(config: model.config, batch: 1, capacity: e.prompt_ids.count + e.greedy_ids.count)
      var logits = withNoGrad { model(e.prompt_ids, batch: 1, cache: cache) }.toArray()
      var out: [Int] = []
      let v = model.config.vocabSize
      for _ in 0..<e.greedy_ids.count {
        let last = logits[(logits.count - v)...]
        let id = last.indices.max { last[$0] < last[$1] }! - (logits.count - v)
        out.append(id)
        logits = withNoGrad { model([id], batch: 1, cache: cache) }.toArray()
      }
      XCTAssertEqual(out, e.greedy_ids, "\(e.prompt): greedy continuation")
    }
  }
}
