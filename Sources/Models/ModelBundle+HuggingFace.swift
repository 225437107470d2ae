import Foundation
import Tokenizers

/// The files a trained model is written with so that transformers' `AutoModelForCausalLM` and
/// `AutoTokenizer` load it as they load a Hugging Face checkpoint:
///
///     config.json             ModelConfig (model_type, architectures, …)          — CheckpointDirectory
///     model.safetensors       weights under Hugging Face names (RoPE rows in HF order)
///     tokenizer.json          the BPE tokenizer (`BPETokenizer.huggingFaceJSON`), also for a GGUF source
///     tokenizer_config.json   BOS/EOS/PAD strings and the model's own Jinja chat template
///     generation_config.json  bos/eos/pad ids (generation stops where `recheck generate` stops)
///
/// Byte-level BPE tokenizers only: a char-tokenizer model (the synthetic tasks) keeps Recheck's own
/// tokenizer file, as transformers has no char-level tokenizer to read it.
public struct HuggingFaceFiles {
  public static let generationConfigFile = "generation_config.json"

  /// The tokenizer file and the further files, ready for `CheckpointDirectory.write`.
  public let tokenizer: CheckpointDirectory.TokenizerFile?
  public let files: [(name: String, data: Data)]

  /// The files for weights trained from `bundle` (same tokenizer, template and special ids).
  public init(bundle: ModelBundle) throws {
    let config = bundle.model.config
    guard let bpe = bundle.tokenizer as? BPETokenizer else {
      throw CheckpointError.malformed(
        path: ModelBundle.tokenizerFile,
        reason: "only a byte-level BPE tokenizer can be written as tokenizer.json")
    }
    tokenizer = .data(try bpe.huggingFaceJSON(), name: ModelBundle.tokenizerFile)
    let tokenizerConfig = try bpe.huggingFaceConfigJSON(
      chatTemplate: bundle.chatTemplateSource, modelMaxLength: config.maxPositionEmbeddings)
    files = [
      (ModelBundle.tokenizerConfigFile, tokenizerConfig),
      (Self.generationConfigFile, try Self.generationConfig(config: config, tokenizer: bpe)),
    ]
  }

  /// generation_config.json: the config's ids, else the tokenizer's.
  /// Example: SmolLM2-135M-Instruct → `{"bos_token_id": 1, "eos_token_id": [2], "pad_token_id": 2}`.
  static func generationConfig(config: ModelConfig, tokenizer: any Tokenizer) throws -> Data {
    var root: [String: Any] = ["_from_model_config": false]
    if let bos = config.bosTokenId ?? tokenizer.bosTokenID { root["bos_token_id"] = bos }
    let eos = config.eosTokenIds.isEmpty ? tokenizer.eosTokenID.map { [$0] } ?? [] : config.eosTokenIds
    if !eos.isEmpty { root["eos_token_id"] = eos }
    if let pad = config.padTokenId ?? tokenizer.padTokenID { root["pad_token_id"] = pad }
    return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
  }
}
