import Tokenizers
import Verifiers

/// Which S²R marker a token span is.
public enum S2RMarkerKind: String, Sendable, Codable, Equatable {
  /// "Wait, …": a verification follows.
  case check
  /// "Let me try again.": a new attempt follows.
  case retry
}

/// The S²R marker strings and their token-id sequences under one tokenizer (S²R spec §1, §4.2, §10).
///
/// Two styles: the full SFT strings that trajectories are built with (`S2RTrajectory.checkMarker`,
/// `S2RTrajectory.retryMarker`) and the shorter RL cut markers `"Wait,"` / `"Let me try again.\n\n"`
/// that the official RL code splits rollouts on.
///
/// A marker string can tokenise differently depending on what precedes it (BPE merges a leading space
/// into the word: `" Wait,"` is not `" "` + `"Wait,"`). Each marker therefore keeps several id
/// sequences (*variants*): the marker encoded alone, encoded with a leading space (the space then
/// belongs to the marker, as in the official offline code), and — for the RL style — the token span
/// that covers the marker exactly when the whole SFT string is encoded. A variant is only usable when
/// the marker starts and ends on token boundaries; a tokenizer that merges marker characters with the
/// neighbouring text (e.g. one token for `"\n\nWait"`) is handled by `S2RActionParser.parseText`.
///
/// Example (a character tokenizer, ids = character codes): `S2RMarkers(tokenizer: t, style: .rl,
/// stopIDs: [0]).check` is `[[32, 87, 97, 105, 116, 44], [87, 97, 105, 116, 44]]` (" Wait," then "Wait,").
public struct S2RMarkers: Sendable, Equatable {
  public enum Style: String, Sendable, Codable { case sft, rl }

  public static let sftCheck = S2RTrajectory.checkMarker
  public static let sftRetry = S2RTrajectory.retryMarker
  public static let rlCheck = "Wait,"
  public static let rlRetry = "Let me try again.\n\n"

  /// Id-sequence variants of the check marker, longest first.
  public var check: [[Int]]
  /// Id-sequence variants of the retry marker, longest first.
  public var retry: [[Int]]
  /// Ids that end a response (EOS, `<|im_end|>`, `<|endoftext|>`; spec §9.4: stop on all of them).
  public var stopIDs: Set<Int>
  /// The marker texts (for text-level matching), in the same style.
  public var checkText: String
  public var retryText: String

  /// Explicit id sequences (empty variants are dropped; duplicates removed).
  public init(
    check: [[Int]], retry: [[Int]], stopIDs: Set<Int>, checkText: String = rlCheck,
    retryText: String = rlRetry
  ) {
    self.check = Self.normalised(check)
    self.retry = Self.normalised(retry)
    self.stopIDs = stopIDs
    self.checkText = checkText
    self.retryText = retryText
  }

  /// Markers of `style` tokenised with `tokenizer` (plain encoding, no special tokens, no BOS).
  public init(tokenizer: some Tokenizer, style: Style, stopIDs: Set<Int>) {
    let (c, r) = style == .sft ? (Self.sftCheck, Self.sftRetry) : (Self.rlCheck, Self.rlRetry)
    var cv = [tokenizer.encode(c), tokenizer.encode(" " + c)]
    var rv = [tokenizer.encode(r), tokenizer.encode(" " + r)]
    if style == .rl {
      cv.append(Self.alignedSpan(of: c, in: Self.sftCheck, tokenizer: tokenizer) ?? [])
      rv.append(Self.alignedSpan(of: r, in: Self.sftRetry + "x", tokenizer: tokenizer) ?? [])
    }
    self.init(check: cv, retry: rv, stopIDs: stopIDs, checkText: c, retryText: r)
  }

  /// The ids that cover `needle` (its first occurrence in `context`) exactly when `context` is
  /// encoded, or nil when the needle's start or end falls inside a token.
  ///
  /// Example: with a tokenizer that encodes `"ab cd"` as `["ab", " cd"]`, `alignedSpan(of: " cd",
  /// in: "ab cd")` is the id of `" cd"`, and `alignedSpan(of: "cd", in: "ab cd")` is nil.
  public static func alignedSpan(of needle: String, in context: String, tokenizer: some Tokenizer) -> [Int]? {
    let hay = Array(context.utf8)
    let n = Array(needle.utf8)
    guard let start = firstIndex(of: n, in: hay) else { return nil }
    let ids = tokenizer.encode(context)
    var offset = 0
    var first: Int?
    for (i, id) in ids.enumerated() {
      if offset == start { first = i }
      offset += tokenizer.decodeBytes([id], skipSpecial: false).count
      if let f = first, offset == start + n.count { return Array(ids[f...i]) }
      if offset > start + n.count { return nil }
    }
    return nil
  }

  static func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
    guard !needle.isEmpty, needle.count <= hay.count else { return nil }
    for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
      if hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
    }
    return nil
  }

  static func normalised(_ variants: [[Int]]) -> [[Int]] {
    var seen = Set<[Int]>()
    let kept = variants.filter { !$0.isEmpty && seen.insert($0).inserted }
    // Stable sort: longest first, so " Wait," wins over "Wait," where both could match.
    return kept.enumerated().sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }
      .map(\.element)
  }
}
