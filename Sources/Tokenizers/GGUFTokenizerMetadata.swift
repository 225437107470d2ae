// The tokenizer keys of a GGUF file (llama.cpp's gguf spec, "tokenizer.ggml.*"), as plain Swift
// values. The GGUF reader in Models fills this in; Tokenizers stays independent of the file format.

/// Tokenizer metadata as stored in GGUF.
public struct GGUFTokenizerMetadata: Sendable, Equatable {
  /// `tokenizer.ggml.model`: "gpt2" for byte-level BPE (the only kind supported here).
  public var model: String
  /// `tokenizer.ggml.pre`: pre-tokenizer name, e.g. "smollm", "llama-bpe", "qwen2".
  public var pre: String?
  /// `tokenizer.ggml.tokens`
  public var tokens: [String]
  /// `tokenizer.ggml.merges`: "left right", rank = index.
  public var merges: [String]
  /// `tokenizer.ggml.token_type` (see `TokenKind`); nil means all normal.
  public var tokenTypes: [Int32]?
  public var bosTokenID: Int?
  public var eosTokenID: Int?
  public var unknownTokenID: Int?
  public var paddingTokenID: Int?
  /// `tokenizer.ggml.add_bos_token`
  public var addBOSToken: Bool?
  /// `tokenizer.chat_template` (Jinja source; informational, see `ChatTemplate`).
  public var chatTemplate: String?

  public init(
    model: String = "gpt2", pre: String? = nil, tokens: [String], merges: [String],
    tokenTypes: [Int32]? = nil,
    bosTokenID: Int? = nil, eosTokenID: Int? = nil, unknownTokenID: Int? = nil, paddingTokenID: Int? = nil,
    addBOSToken: Bool? = nil, chatTemplate: String? = nil
  ) {
    self.model = model
    self.pre = pre
    self.tokens = tokens
    self.merges = merges
    self.tokenTypes = tokenTypes
    self.bosTokenID = bosTokenID
    self.eosTokenID = eosTokenID
    self.unknownTokenID = unknownTokenID
    self.paddingTokenID = paddingTokenID
    self.addBOSToken = addBOSToken
    self.chatTemplate = chatTemplate
  }
}

extension BPETokenizer {
  /// Builds the tokenizer llama.cpp would build from these GGUF keys. Pre-tokenizer names map as in
  /// llama.cpp's `llama_vocab::impl::load` (e.g. "smollm" → `.gpt2IndividualDigits`); Llama-3 names
  /// also turn on `ignoreMerges` and BOS, as there. A missing `pre` falls back to GPT-2.
  public convenience init(gguf m: GGUFTokenizerMetadata) throws {
    guard m.model == "gpt2" else { throw TokenizerError.unsupportedModel(m.model) }
    var pre = PreTokenizer.gpt2
    if let name = m.pre, name != "default" {
      guard let p = PreTokenizer(ggmlPre: name) else {
        throw TokenizerError.unsupportedPreTokenizer("tokenizer.ggml.pre = '\(name)'")
      }
      pre = p
    }
    var kinds = [TokenKind](repeating: .normal, count: m.tokens.count)
    if let types = m.tokenTypes {
      guard types.count == m.tokens.count else {
        throw TokenizerError.malformedJSON(
          "tokenizer.ggml.token_type has \(types.count) entries for \(m.tokens.count) tokens")
      }
      kinds = types.map { TokenKind(rawValue: $0) ?? .undefined }
    }
    var merges: [(String, String)] = []
    merges.reserveCapacity(m.merges.count)
    for (i, line) in m.merges.enumerated() {
      // llama.cpp splits at the first space after the first byte.
      guard let space = line.utf8.dropFirst().firstIndex(of: 0x20) else {
        throw TokenizerError.invalidMerge(index: i, text: line)
      }
      merges.append((String(line[..<space]), String(line[line.utf8.index(after: space)...])))
    }
    let llama3Family = pre == .llama3
    var c = Configuration(tokens: m.tokens, kinds: kinds, merges: merges, preTokenizer: pre)
    c.ignoreMerges = llama3Family
    c.bos = m.bosTokenID
    c.eos = m.eosTokenID
    c.pad = m.paddingTokenID
    c.unk = m.unknownTokenID
    c.addBOS = m.addBOSToken ?? llama3Family
    try self.init(c)
  }
}
