// Token kinds, numbered as GGUF's `tokenizer.ggml.token_type` (llama.cpp `llama_token_type`).

/// What a vocabulary entry is.
public enum TokenKind: Int32, Sendable, Codable {
  case undefined = 0
  case normal = 1
  case unknown = 2
  /// Special/control token (`<|im_start|>`): parsed from text only on request, skipped by
  /// `decode(_:skipSpecial: true)`.
  case control = 3
  /// Added token that is always parsed from text and always decoded verbatim.
  case userDefined = 4
  case unused = 5
  case byte = 6

  /// Matched by the added-token pass (before BPE).
  var isAdded: Bool { self == .control || self == .userDefined || self == .unknown }
  /// Hidden when decoding with `skipSpecial`.
  var isSpecial: Bool { self == .control || self == .unknown }
}
