import Foundation

// Loading a Hugging Face `tokenizer.json` (tokenizers library format): `model` of type "BPE" with
// `vocab` {token: id} and `merges` (either "a b" strings or ["a", "b"] pairs), `added_tokens`,
// and a byte-level `pre_tokenizer` this package implements (see `PreTokenizer`).

extension BPETokenizer {
  /// Loads `tokenizer.json` data. BOS/EOS/PAD live in `tokenizer_config.json`, so pass their token
  /// strings here (e.g. SmolLM2: bos "<|im_start|>", eos "<|im_end|>"); a `TemplateProcessing`
  /// post-processor that starts with a special token also sets BOS and `addBOSByDefault`.
  public convenience init(
    tokenizerJSON data: Data, bosToken: String? = nil, eosToken: String? = nil, padToken: String? = nil
  ) throws {
    let root: [String: Any]
    do {
      guard let r = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TokenizerError.malformedJSON("top level is not an object")
      }
      root = r
    } catch let e as TokenizerError {
      throw e
    } catch {
      throw TokenizerError.malformedJSON("not JSON (\(error.localizedDescription))")
    }
    guard let model = root["model"] as? [String: Any] else {
      throw TokenizerError.malformedJSON("no 'model'")
    }
    let type = model["type"] as? String ?? "BPE"
    guard type == "BPE" else { throw TokenizerError.unsupportedModel(type) }
    guard let vocab = model["vocab"] as? [String: Any] else {
      throw TokenizerError.malformedJSON("no 'model.vocab'")
    }

    // Ids may be sparse at the top (added tokens past the BPE vocab): size the table to the max.
    var entries: [(String, Int)] = []
    entries.reserveCapacity(vocab.count)
    for (token, value) in vocab {
      guard let id = value as? Int, id >= 0 else {
        throw TokenizerError.malformedJSON("vocab id of '\(token)'")
      }
      entries.append((token, id))
    }
    var added: [(content: String, id: Int, special: Bool, lstrip: Bool, rstrip: Bool)] = []
    for (i, item) in (root["added_tokens"] as? [[String: Any]] ?? []).enumerated() {
      guard let id = item["id"] as? Int, id >= 0, let content = item["content"] as? String else {
        throw TokenizerError.malformedJSON("added_tokens[\(i)] needs 'id' and 'content'")
      }
      added.append(
        (
          content, id, item["special"] as? Bool ?? true, item["lstrip"] as? Bool ?? false,
          item["rstrip"] as? Bool ?? false
        ))
    }
    let size = max(entries.map(\.1).max() ?? -1, added.map(\.id).max() ?? -1) + 1
    var tokens = [String?](repeating: nil, count: size)
    for (t, id) in entries {
      if tokens[id] != nil { throw TokenizerError.duplicateToken(t) }
      tokens[id] = t
    }
    var kinds = [TokenKind](repeating: .normal, count: size)
    var strip: [Int: (lstrip: Bool, rstrip: Bool)] = [:]
    for a in added {
      tokens[a.id] = a.content
      kinds[a.id] = a.special ? .control : .userDefined
      strip[a.id] = (a.lstrip, a.rstrip)
    }
    // Holes (ids no entry names) become unused placeholders that can never be produced.
    let filled = tokens.enumerated().map { $1 ?? "<unused_\($0)>" }
    for i in tokens.indices where tokens[i] == nil { kinds[i] = .unused }

    var merges: [(String, String)] = []
    for (i, m) in (model["merges"] as? [Any] ?? []).enumerated() {
      if let s = m as? String {
        let parts = s.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw TokenizerError.invalidMerge(index: i, text: s) }
        merges.append((String(parts[0]), String(parts[1])))
      } else if let pair = m as? [String], pair.count == 2 {
        merges.append((pair[0], pair[1]))
      } else {
        throw TokenizerError.invalidMerge(index: i, text: "\(m)")
      }
    }

    let (pre, prefixSpace) = try Self.parsePreTokenizer(root["pre_tokenizer"])
    var c = Configuration(tokens: filled, kinds: kinds, merges: merges, preTokenizer: pre)
    c.addPrefixSpace = prefixSpace
    c.ignoreMerges = model["ignore_merges"] as? Bool ?? false
    c.strip = strip
    func lookup(_ s: String?) throws -> Int? {
      guard let s else { return nil }
      guard let id = filled.firstIndex(of: s) else { throw TokenizerError.unknownToken(s) }
      return id
    }
    c.bos = try lookup(bosToken)
    c.eos = try lookup(eosToken)
    c.pad = try lookup(padToken)
    if let unk = model["unk_token"] as? String { c.unk = try lookup(unk) }
    if let post = root["post_processor"] as? [String: Any], post["type"] as? String == "TemplateProcessing",
      let single = post["single"] as? [[String: Any]],
      let first = single.first?["SpecialToken"] as? [String: Any],
      let name = first["id"] as? String
    {
      c.bos = try lookup(name)
      c.addBOS = true
    }
    switch root["normalizer"] {
    case nil, is NSNull: break
    case let n as [String: Any] where n["type"] as? String == "NFC": c.normalizeNFC = true
    case let n:
      throw TokenizerError.unsupportedPreTokenizer("normalizer \(String(describing: n))")
    }
    try self.init(c)
  }

  /// Maps the tokenizer.json `pre_tokenizer` onto a `PreTokenizer` and the add-prefix-space flag.
  static func parsePreTokenizer(_ value: Any?) throws -> (PreTokenizer, Bool) {
    func describe(_ v: Any?) -> String { v.map { "\($0)" } ?? "null" }
    guard let p = value as? [String: Any], let type = p["type"] as? String else {
      throw TokenizerError.unsupportedPreTokenizer(describe(value))
    }
    if type == "ByteLevel", p["use_regex"] as? Bool ?? true {
      return (.gpt2, p["add_prefix_space"] as? Bool ?? false)
    }
    guard type == "Sequence", let steps = p["pretokenizers"] as? [[String: Any]], steps.count == 2,
      steps[1]["type"] as? String == "ByteLevel"
    else { throw TokenizerError.unsupportedPreTokenizer(describe(value)) }
    let byteLevel = steps[1]
    let prefix = byteLevel["add_prefix_space"] as? Bool ?? false
    let useRegex = byteLevel["use_regex"] as? Bool ?? true
    let first = steps[0]
    if first["type"] as? String == "Digits", first["individual_digits"] as? Bool == true, useRegex {
      return (.gpt2IndividualDigits, prefix)
    }
    if first["type"] as? String == "Split", !useRegex, first["behavior"] as? String == "Isolated",
      first["invert"] as? Bool != true, let regex = (first["pattern"] as? [String: Any])?["Regex"] as? String
    {
      switch regex {
      case PreTokenizer.llama3Regex: return (.llama3, prefix)
      case PreTokenizer.qwen2Regex: return (.qwen2, prefix)
      case PreTokenizer.gpt2Regex, PreTokenizer.gpt2Regex + "|\\s+": return (.gpt2, prefix)
      default: break
      }
    }
    throw TokenizerError.unsupportedPreTokenizer(describe(value))
  }

  /// Loads `tokenizer.json` from a file.
  public convenience init(
    tokenizerJSONAt url: URL, bosToken: String? = nil, eosToken: String? = nil, padToken: String? = nil
  ) throws {
    try self.init(
      tokenizerJSON: try Data(contentsOf: url), bosToken: bosToken, eosToken: eosToken, padToken: padToken)
  }
}
