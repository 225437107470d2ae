// Token-by-token detokenization for streaming generation. A character may span several byte-level
// tokens (emoji, CJK), so bytes of an unfinished UTF-8 sequence are held back until it completes.

/// Incremental decoder: feed ids one at a time, get back only complete text.
///
/// Example: "é" is bytes C3 A9; if they arrive as two tokens, `append` returns "" then "é".
public struct StreamingDecoder<T: Tokenizer>: Sendable {
  public let tokenizer: T
  public let skipSpecial: Bool
  private var pending: [UInt8] = []

  public init(tokenizer: T, skipSpecial: Bool = false) {
    self.tokenizer = tokenizer
    self.skipSpecial = skipSpecial
  }

  /// Adds one token; returns the text that became complete (possibly empty).
  public mutating func append(_ id: Int) -> String {
    pending.append(contentsOf: tokenizer.decodeBytes([id], skipSpecial: skipSpecial))
    let cut = Self.completePrefixLength(pending)
    guard cut > 0 else { return "" }
    let text = String(decoding: pending[..<cut], as: UTF8.self)
    pending.removeFirst(cut)
    return text
  }

  /// Returns whatever is held back (an unfinished sequence becomes U+FFFD) and resets.
  public mutating func finish() -> String {
    defer { pending.removeAll() }
    return String(decoding: pending, as: UTF8.self)
  }

  /// Length of the longest prefix that does not end inside a possibly-valid multi-byte sequence.
  /// Only a trailing lead byte followed by too few continuation bytes is held back; anything
  /// ill-formed is released (and decodes to U+FFFD) so the buffer never grows without bound.
  static func completePrefixLength(_ bytes: [UInt8]) -> Int {
    let n = bytes.count
    var i = n - 1
    var continuation = 0
    while i >= 0 && continuation < 3 && bytes[i] & 0xC0 == 0x80 {
      continuation += 1
      i -= 1
    }
    guard i >= 0 else { return n }
    let lead = bytes[i]
    let need: Int
    switch lead {
    case 0xC2...0xDF: need = 1
    case 0xE0...0xEF: need = 2
    case 0xF0...0xF4: need = 3
    default: return n
    }
    return continuation < need ? i : n
  }
}
