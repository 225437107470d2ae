// The common surface of Recheck's tokenizers (byte-level BPE for real models, character-level for
// synthetic tasks), so Generation, Rollouts and Training never care which one a run uses.

/// Options for `Tokenizer.encode(_:options:)`.
public struct EncodeOptions: Sendable, Hashable {
  /// Match special (control) tokens such as `<|im_start|>` written literally in the text. Off by
  /// default so untrusted text (model output, dataset content) cannot inject control tokens.
  public var parseSpecial: Bool
  /// Prepend the BOS id (only when the tokenizer has one).
  public var addBOS: Bool

  public init(parseSpecial: Bool = false, addBOS: Bool = false) {
    self.parseSpecial = parseSpecial
    self.addBOS = addBOS
  }

  /// Plain text: no special-token parsing, no BOS.
  public static let plain = EncodeOptions()
  /// Rendered chat prompts: special tokens parsed, no BOS.
  public static let special = EncodeOptions(parseSpecial: true)
}

/// A text ⇄ token-id mapping.
///
/// Ids are `Int` in `0..<vocabSize`. `decode(encode(s)) == s` holds for every string the tokenizer
/// can represent (all strings for byte-level BPE; strings over the character set for
/// `CharTokenizer`).
public protocol Tokenizer: Sendable {
  /// Number of ids (the embedding/logit width a model needs).
  var vocabSize: Int { get }
  var bosTokenID: Int? { get }
  var eosTokenID: Int? { get }
  var padTokenID: Int? { get }

  /// Encodes with explicit options.
  func encode(_ text: String, options: EncodeOptions) -> [Int]
  /// The exact bytes of `ids`; `skipSpecial` drops special (control) tokens. An id outside
  /// `0..<vocabSize` yields the UTF-8 of U+FFFD (decoding never traps on bad ids).
  func decodeBytes(_ ids: [Int], skipSpecial: Bool) -> [UInt8]
  /// The id of a special/added token given its literal text, e.g. `"<|im_end|>"`.
  func specialTokenID(_ text: String) -> Int?
  /// Whether `id` is a special (control) token.
  func isSpecial(_ id: Int) -> Bool
}

extension Tokenizer {
  /// Encodes plain text: special-token text is tokenized as ordinary characters, no BOS.
  public func encode(_ text: String) -> [Int] { encode(text, options: .plain) }
  /// Encodes text in which special tokens (e.g. a rendered chat template) are recognised.
  public func encodeWithSpecial(_ text: String) -> [Int] { encode(text, options: .special) }
  /// Decodes ids to text. Invalid UTF-8 (e.g. a multi-byte character cut between tokens at the end
  /// of `ids`) becomes U+FFFD; use `StreamingDecoder` to decode token by token.
  public func decode(_ ids: [Int], skipSpecial: Bool = false) -> String {
    String(decoding: decodeBytes(ids, skipSpecial: skipSpecial), as: UTF8.self)
  }
}

/// Errors raised while building or using a tokenizer. Each case names what was wrong.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
  case malformedJSON(String)
  case unsupportedModel(String)
  case unsupportedPreTokenizer(String)
  case invalidMerge(index: Int, text: String)
  case unknownToken(String)
  case duplicateToken(String)
  case unknownCharacter(scalar: UInt32, offset: Int)
  case idOutOfRange(Int)
  case unknownTemplate(String)

  public var description: String {
    switch self {
    case .malformedJSON(let why): return "tokenizer JSON is malformed: \(why)"
    case .unsupportedModel(let kind): return "unsupported tokenizer model type '\(kind)'"
    case .unsupportedPreTokenizer(let what): return "unsupported pre-tokenizer: \(what)"
    case .invalidMerge(let index, let text): return "merge #\(index) '\(text)' is not two tokens of the vocab"
    case .unknownToken(let text): return "token '\(text)' is not in the vocabulary"
    case .duplicateToken(let text): return "token '\(text)' appears twice in the vocabulary"
    case .unknownCharacter(let scalar, let offset):
      let hex = String(scalar, radix: 16, uppercase: true)
      return "character U+\(hex) at scalar offset \(offset) is not in the tokenizer's character set"
    case .idOutOfRange(let id): return "token id \(id) is out of range"
    case .unknownTemplate(let name): return "unknown chat template '\(name)'"
    }
  }
}
