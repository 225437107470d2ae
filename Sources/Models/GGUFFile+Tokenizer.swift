import Tokenizers

// The tokenizer of a GGUF file: the `tokenizer.ggml.*` keys of llama.cpp's GGUF spec
// (ggml/docs/gguf.md, "Tokenizer") read into `GGUFTokenizerMetadata`, which Tokenizers turns into a
// `BPETokenizer` exactly as llama.cpp's `llama_vocab::impl::load` does.

extension GGUFFile {
  /// The `tokenizer.ggml.*` keys (and `tokenizer.chat_template`) as `GGUFTokenizerMetadata`.
  ///
  /// Required: `tokenizer.ggml.model` (string) and `tokenizer.ggml.tokens` (string array); a
  /// "gpt2" model also needs `tokenizer.ggml.merges`. Optional keys that are present must have
  /// their spec type, so a damaged file fails here naming the key rather than later in the BPE.
  public func tokenizerMetadata() throws -> GGUFTokenizerMetadata {
    func value(_ key: String) -> GGUFValue? { metadata[key] }
    func mistyped(_ key: String) -> CheckpointError { .missingMetadata(key: key, path: path) }
    func string(_ key: String) throws -> String? {
      guard let v = value(key) else { return nil }
      guard let s = v.stringValue else { throw mistyped(key) }
      return s
    }
    func int(_ key: String) throws -> Int? {
      guard let v = value(key) else { return nil }
      guard let i = v.intValue else { throw mistyped(key) }
      return i
    }
    func bool(_ key: String) throws -> Bool? {
      guard let v = value(key) else { return nil }
      guard let b = v.boolValue else { throw mistyped(key) }
      return b
    }
    guard let model = try string("tokenizer.ggml.model") else {
      throw mistyped("tokenizer.ggml.model")
    }
    guard let tokens = value("tokenizer.ggml.tokens")?.stringArray else {
      throw mistyped("tokenizer.ggml.tokens")
    }
    var merges: [String] = []
    if let m = value("tokenizer.ggml.merges") {
      guard let list = m.stringArray else { throw mistyped("tokenizer.ggml.merges") }
      merges = list
    } else if model == "gpt2" {
      throw mistyped("tokenizer.ggml.merges")
    }
    var types: [Int32]?
    if let t = value("tokenizer.ggml.token_type") {
      guard let items = t.arrayValue else { throw mistyped("tokenizer.ggml.token_type") }
      types = try items.map { item in
        guard let i = item.intValue, let v = Int32(exactly: i) else {
          throw mistyped("tokenizer.ggml.token_type")
        }
        return v
      }
    }
    return GGUFTokenizerMetadata(
      model: model, pre: try string("tokenizer.ggml.pre"), tokens: tokens, merges: merges, tokenTypes: types,
      bosTokenID: try int("tokenizer.ggml.bos_token_id"), eosTokenID: try int("tokenizer.ggml.eos_token_id"),
      unknownTokenID: try int("tokenizer.ggml.unknown_token_id"),
      paddingTokenID: try int("tokenizer.ggml.padding_token_id"),
      addBOSToken: try bool("tokenizer.ggml.add_bos_token"),
      chatTemplate: try string("tokenizer.chat_template"))
  }

  /// The byte-level BPE tokenizer llama.cpp builds from this file.
  public func tokenizer() throws -> BPETokenizer { try BPETokenizer(gguf: tokenizerMetadata()) }
}
