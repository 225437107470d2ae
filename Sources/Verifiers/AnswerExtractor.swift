import Foundation

/// Options of `AnswerExtractor`; every fallback can be switched off.
public struct AnswerExtractionOptions: Sendable, Codable, Equatable {
  /// SCoRe/Minerva: "Final Answer: The final answer is $X$. I hope it is correct."
  public var minervaPhrase = true
  /// Last `\boxed{…}` / `\fbox{…}` / `\boxed X`.
  public var boxed = true
  /// GSM8K reference format `#### X`.
  public var gsm8k = true
  /// "The answer is X" (text after its last occurrence, first line, trailing period removed).
  public var answerIsPhrase = true
  /// Last number in the text when nothing else matched (Qwen2.5-Math harness behaviour).
  public var lastNumberFallback = true

  public init() {}
}

/// Where an extracted answer came from.
public enum AnswerSource: String, Sendable, Codable {
  case minerva, boxed, gsm8k, answerIs, lastNumber
}

public struct ExtractedAnswer: Sendable, Equatable {
  public var text: String
  public var source: AnswerSource

  public init(text: String, source: AnswerSource) {
    self.text = text
    self.source = source
  }
}

/// Final-answer extraction from model output (S²R spec §6.3, SCoRe spec §5.1), tried in order:
/// Minerva phrase, last box, `####`, "the answer is", last number.
///
/// Example: `extract("so \\boxed{\\frac{1}{2}}.")?.text` is `"\\frac{1}{2}"`.
public enum AnswerExtractor {
  public static func extract(
    _ text: String, options: AnswerExtractionOptions = AnswerExtractionOptions()
  ) -> ExtractedAnswer? {
    if options.minervaPhrase, let m = minerva(text) { return ExtractedAnswer(text: m, source: .minerva) }
    if options.boxed, let b = lastBoxed(text) { return ExtractedAnswer(text: b, source: .boxed) }
    if options.gsm8k, let r = text.range(of: "####", options: .backwards) {
      let t = firstLine(String(text[r.upperBound...])).replacingOccurrences(of: ",", with: "")
      if !t.isEmpty { return ExtractedAnswer(text: t, source: .gsm8k) }
    }
    if options.answerIsPhrase,
      let r = text.range(of: "he answer is", options: [.backwards, .caseInsensitive])
    {
      var t = firstLine(String(text[r.upperBound...]))
      if t.hasPrefix(":") { t.removeFirst() }
      t = trimSentence(t)
      if !t.isEmpty { return ExtractedAnswer(text: t, source: .answerIs) }
    }
    if options.lastNumberFallback, let n = lastNumber(text) {
      return ExtractedAnswer(text: n, source: .lastNumber)
    }
    return nil
  }

  /// Content of the last `\boxed{…}` or `\fbox{…}` (nested braces), or `\boxed X` up to `$`/space.
  public static func lastBoxed(_ text: String) -> String? {
    allBoxed(text, limit: Int.max).last
  }

  /// Contents of every box, in order (at most `limit`).
  public static func allBoxed(_ text: String, limit: Int = 1000) -> [String] {
    let b = Array(text.utf8)
    var out: [String] = []
    var i = 0
    while i < b.count, out.count < limit {
      guard b[i] == 92 else {
        i += 1
        continue
      }
      let rest = b[(i + 1)...]
      var nameLen = 0
      if rest.starts(with: Array("boxed".utf8)) {
        nameLen = 5
      } else if rest.starts(with: Array("fbox".utf8)) {
        nameLen = 4
      }
      guard nameLen > 0 else {
        i += 1
        continue
      }
      var j = i + 1 + nameLen
      if j < b.count, b[j] == 123 {
        var depth = 0
        var k = j
        while k < b.count {
          if b[k] == 92 {
            k += 2
            continue
          }
          if b[k] == 123 { depth += 1 }
          if b[k] == 125 {
            depth -= 1
            if depth == 0 { break }
          }
          k += 1
        }
        guard k < b.count else { return out }  // unbalanced: ignore the unfinished box
        out.append(String(decoding: b[(j + 1)..<k], as: UTF8.self).trimmingCharacters(in: .whitespaces))
        i = k + 1
      } else if j < b.count, b[j] == 32 {
        while j < b.count, b[j] == 32 { j += 1 }
        var k = j
        while k < b.count, b[k] != 36, b[k] != 32, b[k] != 10 { k += 1 }
        if k > j { out.append(String(decoding: b[j..<k], as: UTF8.self)) }
        i = k
      } else {
        i = j
      }
    }
    return out
  }

  /// "final answer is $X$. I hope" (last occurrence); also without `$`.
  static func minerva(_ text: String) -> String? {
    guard let r = text.range(of: "final answer is", options: [.backwards, .caseInsensitive]) else {
      return nil
    }
    let tail = text[r.upperBound...]
    guard let hope = tail.range(of: "I hope") else { return nil }
    var t = String(tail[..<hope.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    if t.hasSuffix(".") { t.removeLast() }
    t = t.trimmingCharacters(in: .whitespaces)
    if t.hasPrefix("$"), t.hasSuffix("$"), t.count >= 2 { t = String(t.dropFirst().dropLast()) }
    if let boxed = lastBoxed(t) { t = boxed }
    return t.isEmpty ? nil : t.trimmingCharacters(in: .whitespaces)
  }

  static func firstLine(_ s: String) -> String {
    let t = s.trimmingCharacters(in: .whitespaces)
    return String(t.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
      .trimmingCharacters(in: .whitespaces)
  }

  static func trimSentence(_ s: String) -> String {
    var t = s
    while let l = t.last, l == "." || l == "/" || l == " " { t.removeLast() }
    if t.hasPrefix("$"), t.hasSuffix("$"), t.count >= 2 { t = String(t.dropFirst().dropLast()) }
    if let b = lastBoxed(t) { t = b }
    return t.trimmingCharacters(in: .whitespaces)
  }

  /// Last match of `-?[0-9,]*\.?[0-9]+` with commas removed.
  public static func lastNumber(_ text: String) -> String? {
    let b = Array(text.utf8)
    var k = b.count - 1
    while k >= 0, !(b[k] >= 48 && b[k] <= 57) { k -= 1 }
    guard k >= 0 else { return nil }
    let end = k + 1
    var start = k
    while start > 0 {
      let c = b[start - 1]
      if (c >= 48 && c <= 57) || c == 44 || c == 46 { start -= 1 } else { break }
    }
    while start < end, b[start] == 44 || b[start] == 46 && !(start + 1 < end && b[start + 1] >= 48) {
      start += 1
    }
    if start > 0, b[start - 1] == 45 { start -= 1 }
    let s = String(decoding: b[start..<end], as: UTF8.self).replacingOccurrences(of: ",", with: "")
    return s.isEmpty ? nil : s
  }
}
