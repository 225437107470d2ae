import Foundation

// Writing a byte-level BPE tokenizer back out in the Hugging Face `tokenizers` format, so that a
// checkpoint trained here from a GGUF file (whose tokenizer lives in `tokenizer.ggml.*` keys) can be
// loaded by transformers' `AutoTokenizer`. The layout follows the `tokenizers` library's serde
// format (tokenizer.json: `added_tokens`, `normalizer`, `pre_tokenizer`, `post_processor`,
// `decoder`, `model` {type "BPE", vocab, merges}) and transformers' tokenizer_config.json
// (special-token strings, `chat_template`, `added_tokens_decoder`). The round trip — write, read
// back with `init(tokenizerJSON:)`, same ids — is tested here; `Scripts/check-hf-export.py` checks
// that transformers itself encodes the same ids.

extension BPETokenizer {
  /// The tokenizer.json of this tokenizer (byte-level BPE with its pre-tokenizer, added tokens,
  /// BOS post-processor when `addBOSByDefault`).
  public func huggingFaceJSON() throws -> Data {
    var vocab: [String: Int] = [:]
    var addedTokens: [[String: Any]] = []
    for (id, text) in tokens.enumerated() {
      let kind = kinds[id]
      // Placeholders for ids a tokenizer.json left unnamed (see `init(tokenizerJSON:)`) stay unnamed.
      if kind == .unused && text == "<unused_\(id)>" { continue }
      // A repeated string keeps its last id, as `tokenToID` (and llama.cpp) do.
      if tokenToID[text] == Int32(id) { vocab[text] = id }
      if kind.isAdded {
        let strip = addedStrip[id]
        addedTokens.append([
          "id": id, "content": text, "single_word": false, "lstrip": strip?.lstrip ?? false,
          "rstrip": strip?.rstrip ?? false, "normalized": !kind.isSpecial, "special": kind.isSpecial,
        ])
      }
    }
    let byteLevel: [String: Any] = [
      "type": "ByteLevel", "add_prefix_space": addPrefixSpace, "trim_offsets": true, "use_regex": true,
    ]
    var model: [String: Any] = [
      "type": "BPE", "dropout": NSNull(), "unk_token": NSNull(), "continuing_subword_prefix": NSNull(),
      "end_of_word_suffix": NSNull(), "fuse_unk": false, "byte_fallback": false,
      "ignore_merges": ignoreMerges,
      "vocab": vocab, "merges": mergePairs.map { [$0.0, $0.1] },
    ]
    if let unk = unknownTokenID { model["unk_token"] = tokens[unk] }
    var root: [String: Any] = [
      "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": addedTokens,
      "normalizer": normalizeNFC ? ["type": "NFC"] : NSNull(),
      "pre_tokenizer": preTokenizerJSON(byteLevel: byteLevel), "decoder": byteLevel, "model": model,
    ]
    if addBOSByDefault, let bos = bosTokenID {
      root["post_processor"] = Self.bosTemplate(tokens[bos], id: bos)
    } else {
      root["post_processor"] = [
        "type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true,
      ]
    }
    return try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
  }

  /// transformers' tokenizer_config.json: the special-token strings this tokenizer knows, the chat
  /// template's Jinja source (if any) and the added tokens by id.
  public func huggingFaceConfigJSON(chatTemplate: String?, modelMaxLength: Int) throws -> Data {
    var root: [String: Any] = [
      "tokenizer_class": "PreTrainedTokenizerFast", "clean_up_tokenization_spaces": false,
      "model_max_length": modelMaxLength,
    ]
    for (key, id) in [
      ("bos_token", bosTokenID), ("eos_token", eosTokenID), ("pad_token", padTokenID),
      ("unk_token", unknownTokenID),
    ] {
      if let id { root[key] = tokens[id] }
    }
    if let chatTemplate { root["chat_template"] = chatTemplate }
    var decoder: [String: Any] = [:]
    for (id, kind) in kinds.enumerated() where kind.isAdded {
      decoder[String(id)] = [
        "content": tokens[id], "lstrip": addedStrip[id]?.lstrip ?? false,
        "rstrip": addedStrip[id]?.rstrip ?? false,
        "normalized": !kind.isSpecial, "single_word": false, "special": kind.isSpecial,
      ]
    }
    root["added_tokens_decoder"] = decoder
    return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
  }

  /// The `pre_tokenizer` object `parsePreTokenizer` reads back as this tokenizer's `preTokenizer`.
  func preTokenizerJSON(byteLevel: [String: Any]) -> [String: Any] {
    func split(_ regex: String) -> [String: Any] {
      ["type": "Split", "pattern": ["Regex": regex], "behavior": "Isolated", "invert": false]
    }
    var noRegex = byteLevel
    noRegex["use_regex"] = false
    switch preTokenizer {
    case .gpt2: return byteLevel
    case .gpt2IndividualDigits:
      return [
        "type": "Sequence",
        "pretokenizers": [["type": "Digits", "individual_digits": true] as [String: Any], byteLevel],
      ]
    case .llama3: return ["type": "Sequence", "pretokenizers": [split(PreTokenizer.llama3Regex), noRegex]]
    case .qwen2: return ["type": "Sequence", "pretokenizers": [split(PreTokenizer.qwen2Regex), noRegex]]
    }
  }

  /// A TemplateProcessing post-processor that prepends BOS to every sequence (Llama-3's layout).
  static func bosTemplate(_ bos: String, id: Int) -> [String: Any] {
    let special: [String: Any] = ["SpecialToken": ["id": bos, "type_id": 0] as [String: Any]]
    func sequence(_ name: String, _ type: Int) -> [String: Any] {
      ["Sequence": ["id": name, "type_id": type] as [String: Any]]
    }
    return [
      "type": "TemplateProcessing", "single": [special, sequence("A", 0)],
      "pair": [special, sequence("A", 0), special, sequence("B", 1)],
      "special_tokens": [bos: ["id": bos, "ids": [id], "tokens": [bos]] as [String: Any]],
    ]
  }
}
