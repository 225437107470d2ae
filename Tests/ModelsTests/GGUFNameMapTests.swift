import XCTest

@testable import Models

final class GGUFNameMapTests: XCTestCase {
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
}
