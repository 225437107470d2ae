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

  func testNameMapBothWays() {
    let pairs = [
      ("token_embd.weight", "model.embed_tokens.weight"),
      ("output_norm.weight", "model.norm.weight"),
      ("output.weight", "lm_head.weight"),
      ("blk.0.attn_norm.weight", "model.layers.0.input_layernorm.weight"),
      ("blk.12.attn_q.weight", "model.layers.12.self_attn.q_proj.weight"),
      ("blk.3.attn_k.bias", "model.layers.3.self_attn.k_proj.bias"),
      ("blk.3.attn_v.weight", "model.layers.3.self_attn.v_proj.weight"),
      ("blk.29.attn_output.weight", "model.layers.29.self_attn.o_proj.weight"),
      ("blk.1.ffn_norm.weight", "model.layers.1.post_attention_layernorm.weight"),
      ("blk.1.ffn_gate.weight", "model.layers.1.mlp.gate_proj.weight"),
      ("blk.1.ffn_up.weight", "model.layers.1.mlp.up_proj.weight"),
      ("blk.1.ffn_down.weight", "model.layers.1.mlp.down_proj.weight"),
    ]
    for (gguf, hf) in pairs {
      XCTAssertEqual(GGUFNameMap.huggingFaceName(forGGUF: gguf), hf)
      XCTAssertEqual(GGUFNameMap.ggufName(forHuggingFace: hf), gguf)
    }
    for bad in [
      "rope_freqs.weight", "blk.x.attn_q.weight", "blk.01.attn_q.weight", "blk.1.attn_q",
      "blk.-1.ffn_up.weight",
    ] {
      XCTAssertNil(GGUFNameMap.huggingFaceName(forGGUF: bad), bad)
    }
    XCTAssertNil(GGUFNameMap.ggufName(forHuggingFace: "model.layers.1.mlp.fc.weight"))
  }

  func testMissingMetadataIsReported() throws {
    // quants.gguf says "llama" but has no llama.* hyper-parameters.
    XCTAssertThrowsError(try GGUFCheckpoint(url: Fixtures.url("quants.gguf"))) { error in
      XCTAssertTrue("\(error)".contains("metadata key 'llama.vocab_size' missing"), "\(error)")
    }
  }
}
