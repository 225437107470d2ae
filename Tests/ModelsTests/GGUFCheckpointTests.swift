import Foundation
import XCTest

@testable import Models

/// tiny-llama.gguf: a one-layer LLaMA whose q/k projections the fixture script permuted exactly like
/// convert_hf_to_gguf.py; the expected tensors are the original Hugging Face-order arrays.
final class GGUFCheckpointTests: XCTestCase {
  func testConfigFromMetadata() throws {
    let checkpoint = try GGUFCheckpoint(url: Fixtures.url("tiny-llama.gguf"))
    XCTAssertEqual(checkpoint.file.alignment, 64)
    let c = checkpoint.config
    XCTAssertEqual(c.modelType, "llama")
    XCTAssertEqual(c.hiddenSize, 16)
    XCTAssertEqual(c.numHiddenLayers, 1)
    XCTAssertEqual(c.numAttentionHeads, 4)
    XCTAssertEqual(c.numKeyValueHeads, 2)
    XCTAssertEqual(c.headDim, 4)
    XCTAssertEqual(c.intermediateSize, 32)
    XCTAssertEqual(c.vocabSize, 10)
    XCTAssertEqual(c.maxPositionEmbeddings, 64)
    XCTAssertEqual(c.ropeTheta, 10_000)
    XCTAssertEqual(c.rmsNormEps, 1e-5)
    XCTAssertTrue(c.tieWordEmbeddings)
    XCTAssertFalse(c.attentionBias)
    XCTAssertEqual(c.bosTokenId, 1)
    XCTAssertEqual(c.eosTokenIds, [2])
  }

  func testTensorsEqualHuggingFaceOriginals() throws {
    let checkpoint = try GGUFCheckpoint(url: Fixtures.url("tiny-llama.gguf"))
    let expected = try Fixtures.json("tiny-llama.gguf.json")
    XCTAssertEqual(checkpoint.unmappedTensorNames, [])
    XCTAssertEqual(
      Set(checkpoint.tensorNames), Set(expected.keys).subtracting(["permuted.k_proj.gguf_order"]))
    for name in checkpoint.tensorNames {
      let entry = try XCTUnwrap(expected[name] as? [String: Any], name)
      let tensor = try checkpoint.tensor(named: name)
      XCTAssertEqual(tensor.name, name)
      XCTAssertEqual(tensor.shape, try Fixtures.ints(entry["shape"]), name)
      assertSameValues(tensor.data, try Fixtures.floats(entry["values"]), name)
    }
    XCTAssertNil(checkpoint.permutationHeads(forHuggingFace: "model.layers.0.self_attn.v_proj.weight"))
    XCTAssertEqual(checkpoint.permutationHeads(forHuggingFace: "model.layers.0.self_attn.k_proj.weight"), 2)
  }

  /// The stored k_proj really is permuted (so the test above is not vacuous), and the raw Q8_0 blocks
  /// come back with their rows in HF order.
  func testRawQuantizedRowsAreUnpermuted() throws {
    let checkpoint = try GGUFCheckpoint(url: Fixtures.url("tiny-llama.gguf"))
    let expected = try Fixtures.json("tiny-llama.gguf.json")
    let kName = "model.layers.0.self_attn.k_proj.weight"
    let stored = try checkpoint.file.dequantize(named: "blk.0.attn_k.weight").data
    let storedExpected = try Fixtures.floats(
      (expected["permuted.k_proj.gguf_order"] as? [String: Any])?["values"])
    assertSameValues(stored, storedExpected, "stored k")
    let hf = try checkpoint.tensor(named: kName)
    XCTAssertNotEqual(stored, hf.data)
    let raw = try checkpoint.rawTensor(named: kName)
    XCTAssertEqual(raw.type, .q8_0)
    XCTAssertEqual(raw.shape, [8, 32])
    let decoded = try raw.bytes.withUnsafeBytes {
      try GGUFDequantizer.dequantize(raw.type, source: $0, count: 256, tensor: kName)
    }
    XCTAssertEqual(decoded, hf.data)
  }

  func testMissingMetadataIsReported() throws {
    // quants.gguf says "llama" but has no llama.* hyper-parameters.
    XCTAssertThrowsError(try GGUFCheckpoint(url: Fixtures.url("quants.gguf"))) { error in
      XCTAssertTrue("\(error)".contains("metadata key 'llama.vocab_size' missing"), "\(error)")
    }
  }

  /// Qwen2: biases on q/k/v, attention_bias inferred from them, and no permutation to undo.
  func testQwen2TensorsPassThroughWithBiases() throws {
    let checkpoint = try GGUFCheckpoint(url: Fixtures.url("tiny-qwen2.gguf"))
    let expected = try Fixtures.json("tiny-qwen2.gguf.json")
    XCTAssertEqual(checkpoint.config.modelType, "qwen2")
    XCTAssertTrue(checkpoint.config.attentionBias)
    XCTAssertEqual(checkpoint.config.architectures, ["Qwen2ForCausalLM"])
    XCTAssertNil(checkpoint.permutationHeads(forHuggingFace: "model.layers.0.self_attn.q_proj.weight"))
    XCTAssertTrue(checkpoint.tensorNames.contains("model.layers.0.self_attn.k_proj.bias"))
    XCTAssertEqual(
      Set(checkpoint.tensorNames), Set(expected.keys).subtracting(["permuted.k_proj.gguf_order"]))
    for name in checkpoint.tensorNames {
      let entry = try XCTUnwrap(expected[name] as? [String: Any], name)
      assertSameValues(try checkpoint.tensor(named: name).data, try Fixtures.floats(entry["values"]), name)
    }
  }
}
