/// Translates llama.cpp's GGUF tensor names to Hugging Face transformers names for the LLaMA family
/// (LLaMA, Mistral, SmolLM, Qwen2), following gguf-py's `tensor_mapping.py`:
///
/// | GGUF                     | Hugging Face                                      |
/// |--------------------------|---------------------------------------------------|
/// | token_embd.weight        | model.embed_tokens.weight                         |
/// | blk.N.attn_norm.weight   | model.layers.N.input_layernorm.weight             |
/// | blk.N.attn_q/k/v.*       | model.layers.N.self_attn.q_proj/k_proj/v_proj.*   |
/// | blk.N.attn_output.weight | model.layers.N.self_attn.o_proj.weight            |
/// | blk.N.ffn_norm.weight    | model.layers.N.post_attention_layernorm.weight    |
/// | blk.N.ffn_gate/up/down.* | model.layers.N.mlp.gate_proj/up_proj/down_proj.*  |
/// | output_norm.weight       | model.norm.weight                                 |
/// | output.weight            | lm_head.weight (absent when embeddings are tied)  |
public enum GGUFNameMap {
  private static let global: [String: String] = [
    "token_embd": "model.embed_tokens",
    "output_norm": "model.norm",
    "output": "lm_head",
  ]

  private static let perLayer: [String: String] = [
    "attn_norm": "input_layernorm",
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "ffn_norm": "post_attention_layernorm",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
  ]

  private static let reverseGlobal = Dictionary(uniqueKeysWithValues: global.map { ($1, $0) })
  private static let reversePerLayer = Dictionary(uniqueKeysWithValues: perLayer.map { ($1, $0) })

  /// "blk.3.attn_q.weight" → "model.layers.3.self_attn.q_proj.weight"; nil for names outside the table.
  public static func huggingFaceName(forGGUF name: String) -> String? {
    guard let (stem, suffix) = splitSuffix(name) else { return nil }
    if let mapped = global[stem] { return "\(mapped).\(suffix)" }
    let parts = stem.split(separator: ".", maxSplits: 2).map(String.init)
    guard parts.count == 3, parts[0] == "blk", let layer = Int(parts[1]), layer >= 0,
      String(layer) == parts[1], let mapped = perLayer[parts[2]]
    else { return nil }
    return "model.layers.\(layer).\(mapped).\(suffix)"
  }

  /// The inverse: "model.norm.weight" → "output_norm.weight"; nil for names outside the table.
  public static func ggufName(forHuggingFace name: String) -> String? {
    guard let (stem, suffix) = splitSuffix(name) else { return nil }
    if let mapped = reverseGlobal[stem] { return "\(mapped).\(suffix)" }
    let prefix = "model.layers."
    guard stem.hasPrefix(prefix) else { return nil }
    let rest = stem.dropFirst(prefix.count)
    guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]), layer >= 0,
      String(layer) == rest[..<dot], let mapped = reversePerLayer[String(rest[rest.index(after: dot)...])]
    else { return nil }
    return "blk.\(layer).\(mapped).\(suffix)"
  }

  /// Splits off a trailing ".weight" / ".bias".
  private static func splitSuffix(_ name: String) -> (String, String)? {
    for suffix in ["weight", "bias"] where name.hasSuffix("." + suffix) {
      return (String(name.dropLast(suffix.count + 1)), suffix)
    }
    return nil
  }
}
