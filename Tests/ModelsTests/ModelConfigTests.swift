import Foundation
import XCTest

@testable import Models

final class ModelConfigTests: XCTestCase {
  /// The config.json of HuggingFaceTB/SmolLM2-135M-Instruct (keys as published; abridged of keys we ignore).
  static let smolLM2JSON = """
    {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
     "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 576,
     "initializer_range": 0.041666666666666664, "intermediate_size": 1536, "is_llama_config": true,
     "max_position_embeddings": 8192, "model_type": "llama", "num_attention_heads": 9,
     "num_hidden_layers": 30, "num_key_value_heads": 3, "pad_token_id": 2, "pretraining_tp": 1,
     "rms_norm_eps": 1e-05, "rope_interleaved": false, "rope_scaling": null, "rope_theta": 100000,
     "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.42.3",
     "use_cache": true, "vocab_size": 49152}
    """

  /// Qwen2.5-0.5B-Instruct's config.json (abridged): no attention_bias key, biases implied by qwen2.
  static let qwen2JSON = """
    {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
     "eos_token_id": 151645, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
     "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 21,
     "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
     "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true,
     "torch_dtype": "bfloat16", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}
    """

  func testDecodesSmolLM2Config() throws {
    let c = try ModelConfig.decode(Data(Self.smolLM2JSON.utf8))
    XCTAssertEqual(c.modelType, "llama")
    XCTAssertEqual(c.hiddenSize, 576)
    XCTAssertEqual(c.numHiddenLayers, 30)
    XCTAssertEqual(c.numAttentionHeads, 9)
    XCTAssertEqual(c.numKeyValueHeads, 3)
    XCTAssertEqual(c.headDim, 64)
    XCTAssertEqual(c.intermediateSize, 1536)
    XCTAssertEqual(c.vocabSize, 49152)
    XCTAssertEqual(c.maxPositionEmbeddings, 8192)
    XCTAssertEqual(c.ropeTheta, 100_000)
    XCTAssertEqual(c.rmsNormEps, 1e-5)
    XCTAssertTrue(c.tieWordEmbeddings)
    XCTAssertFalse(c.attentionBias)
    XCTAssertEqual(c.bosTokenId, 1)
    XCTAssertEqual(c.eosTokenIds, [2])
    XCTAssertEqual(c.padTokenId, 2)
    XCTAssertEqual(c.torchDtype, "bfloat16")
  }

  func testDecodesQwen2ConfigWithImpliedBias() throws {
    let c = try ModelConfig.decode(Data(Self.qwen2JSON.utf8))
    XCTAssertEqual(c.modelType, "qwen2")
    XCTAssertTrue(c.attentionBias)
    XCTAssertEqual(c.headDim, 64)
    XCTAssertEqual(c.numKeyValueHeads, 2)
    XCTAssertEqual(c.ropeTheta, 1_000_000)
    XCTAssertEqual(c.rmsNormEps, 1e-6)
    XCTAssertEqual(c.eosTokenIds, [151645])
  }

  func testDefaultsAndEOSList() throws {
    let json = """
      {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
       "vocab_size": 100, "eos_token_id": [3, 4]}
      """
    let c = try ModelConfig.decode(Data(json.utf8))
    XCTAssertEqual(c.modelType, "llama")
    XCTAssertEqual(c.numKeyValueHeads, 4)  // no GQA by default
    XCTAssertEqual(c.headDim, 16)
    XCTAssertEqual(c.eosTokenIds, [3, 4])
    XCTAssertFalse(c.tieWordEmbeddings)  // transformers' LlamaConfig default
    XCTAssertEqual(c.ropeTheta, 10_000)
  }

  func testEncodeDecodeRoundTripIsValidConfigJSON() throws {
    for source in [Self.smolLM2JSON, Self.qwen2JSON] {
      let c = try ModelConfig.decode(Data(source.utf8))
      let data = try c.jsonData()
      XCTAssertEqual(try ModelConfig.decode(data), c)
      let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      // Keys transformers needs, spelled its way; eos as a plain int when there is one id.
      XCTAssertEqual(object["model_type"] as? String, c.modelType)
      XCTAssertEqual((object["num_key_value_heads"] as? NSNumber)?.intValue, c.numKeyValueHeads)
      XCTAssertEqual((object["eos_token_id"] as? NSNumber)?.intValue, c.eosTokenIds.first)
      XCTAssertEqual((object["rms_norm_eps"] as? NSNumber)?.doubleValue, c.rmsNormEps)
      XCTAssertNotNil(object["architectures"] as? [String])
      XCTAssertTrue(object["rope_scaling"] is NSNull)
    }
  }

  func testValidationErrorsNameTheProblem() throws {
    func message(_ edit: (inout ModelConfig) -> Void) throws -> String {
      var c = try ModelConfig.preset(.tiny, vocabSize: 50)
      edit(&c)
      do {
        try c.validate()
        return "valid"
      } catch {
        return "\(error)"
      }
    }
    XCTAssertEqual(try message { _ in }, "valid")
    XCTAssertTrue(try message { $0.numAttentionHeads = 3 }.contains("not a multiple of num_key_value_heads"))
    XCTAssertTrue(
      try message {
        $0.hiddenSize = 66
        $0.numKeyValueHeads = 4
      }.contains("hidden_size (66) is not divisible by num_attention_heads (4)"))
    XCTAssertTrue(try message { $0.headDim = 15 }.contains("must be even"))
    XCTAssertTrue(try message { $0.headDim = 8 }.contains("≠ hidden_size"))
    XCTAssertTrue(try message { $0.vocabSize = 0 }.contains("vocab_size must be positive"))
    XCTAssertTrue(try message { $0.rmsNormEps = 0 }.contains("rms_norm_eps"))
    XCTAssertTrue(try message { $0.modelType = "gpt2" }.contains("model_type 'gpt2' is not supported"))
    XCTAssertTrue(try message { $0.eosTokenIds = [50] }.contains("outside the vocabulary"))
    XCTAssertTrue(try message { $0.hiddenAct = "gelu" }.contains("hidden_act"))
  }

  func testDecodingErrorsNameKeyAndFile() throws {
    func message(_ json: String) -> String {
      do {
        _ = try ModelConfig.decode(Data(json.utf8), path: "/m/config.json")
        return "decoded"
      } catch {
        return "\(error)"
      }
    }
    XCTAssertTrue(message(#"{"hidden_size": 64}"#).contains("/m/config.json"))
    XCTAssertTrue(message(#"{"hidden_size": 64}"#).contains("required key 'vocab_size' is missing"))
    XCTAssertTrue(
      message(
        #"{"hidden_size": "x", "vocab_size": 1, "num_hidden_layers": 1, "num_attention_heads": 1, "intermediate_size": 1}"#
      ).contains("hidden_size"))
    XCTAssertTrue(message("{oops").contains("not valid JSON"))
    let scaled = Self.smolLM2JSON.replacingOccurrences(
      of: #""rope_scaling": null"#, with: #""rope_scaling": {"type": "linear", "factor": 2.0}"#)
    XCTAssertTrue(message(scaled).contains("rope_scaling is not supported"))
  }

  func testPresets() throws {
    let tiny = try ModelConfig.preset(.tiny, vocabSize: 300)
    XCTAssertEqual([tiny.hiddenSize, tiny.numHiddenLayers, tiny.headDim, tiny.vocabSize], [64, 2, 16, 300])
    let small = try ModelConfig.preset(named: "small", vocabSize: 1000)
    XCTAssertEqual([small.hiddenSize, small.numHiddenLayers, small.numAttentionHeads], [128, 4, 4])
    XCTAssertThrowsError(try ModelConfig.preset(named: "huge", vocabSize: 10)) { error in
      XCTAssertTrue("\(error)".contains("unknown preset 'huge' (known: tiny, small)"))
    }
    XCTAssertThrowsError(try ModelConfig.preset(.tiny, vocabSize: 0))
  }
}
