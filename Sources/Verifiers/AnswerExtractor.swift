import Foundation

/// Options of `AnswerExtractor`; every step can be switched off.
public struct AnswerExtractionOptions: Sendable, Codable, Equatable {
  /// Last `\boxed{…}` / `\fbox{…}` / `\boxed X` (a run of adjacent boxes is one list answer).
  public var boxed = true
  /// "The final answer is X" (SCoRe/Minerva: "Final Answer: The final answer is $X$. I hope it is correct.").
  public var minervaPhrase = true
  /// GSM8K reference format `#### X`.
  public var gsm8k = true
  /// "The answer is X" (text after its last occurrence, up to the end of the sentence).
  public var answerIsPhrase = true
  /// Last math environment: `$…$`, `$$…$$`, `\(…\)`, `\[…\]` (math-verify's LaTeX extraction).
  public var mathEnvironment = true
  /// The whole text when it is itself an answer (`5`, `\frac{1}{2}`, `x \in [0,1)`, `\text{Evelyn}`).
  public var wholeText = true
  /// Last number in the text when nothing else matched (Qwen2.5-Math harness behaviour).
  public var lastNumberFallback = true

  public init() {}
}

/// Where an extracted answer came from.
public enum AnswerSource: String, Sendable, Codable, CaseIterable {
  case boxed, minerva, gsm8k, answerIs, mathEnvironment, wholeText, lastNumber
}

public struct ExtractedAnswer: Sendable, Equatable {
  public var text: String
  public var source: AnswerSource

  public init(text: String, source: AnswerSource) {
    self.text = text
    self.source = source
  }
}

/// Final-answer extraction from a reference or a model output (S²R spec §6.3, SCoRe spec §5.1,
/// math-verify's and the Qwen2.5-Math harness's order). Tried in order: last box (adjacent boxes
/// form one list), "final answer is", `####`, "the answer is", last math environment, the whole
/// text when it reads as an answer (not prose), the whole text when it is one token (`Evelyn`,
/// `12:00`), last number, and last the whole text when it is a short single line that is not prose. Docs/grading.md lists it.
///
/// Example: `extract("so \\boxed{\\frac{1}{2}}.")?.text` is `"\\frac{1}{2}"`;
/// `extract("Answer \\( 9 \\)")` is `9` from `.mathEnvironment`; `extract("3 bolts")` is `3`.
public enum AnswerExtractor {
  public static func extract(
    _ text: String, options: AnswerExtractionOptions = AnswerExtractionOptions()
  ) -> ExtractedAnswer? {
    let box = options.boxed ? AnswerScanner.boxedAnswer(text) : nil
    let final = options.minervaPhrase ? finalAnswer(text) : nil
    // Box first, unless a "Final Answer" sentence comes after the last box (it concludes the text).
    if let box, final == nil || box.start > final!.start {
      return ExtractedAnswer(text: box.text, source: .boxed)
    }
    if let final { return ExtractedAnswer(text: final.text, source: .minerva) }
    if options.gsm8k, let r = text.range(of: "####", options: .backwards) {
      let t = firstLine(String(text[r.upperBound...])).replacingOccurrences(of: ",", with: "")
      if !t.isEmpty { return ExtractedAnswer(text: t, source: .gsm8k) }
    }
    if options.answerIsPhrase, let m = phrase(text, "he answer is") {
      return ExtractedAnswer(text: m, source: .answerIs)
    }
    if options.mathEnvironment, let env = AnswerScanner.lastMathEnvironment(text) {
      // A number in a later sentence than the last environment concludes the text ("… $d = 90/n$.
      // Therefore, there are 12 sequences.").
      if options.lastNumberFallback, let n = AnswerScanner.numberInLaterSentence(text, after: env.end) {
        return ExtractedAnswer(text: n, source: .lastNumber)
      }
      return ExtractedAnswer(text: env.text, source: .mathEnvironment)
    }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let prose = AnswerScanner.isProse(trimmed)
    if options.wholeText, !prose, !trimmed.isEmpty, AnswerScanner.readsAsMath(trimmed) {
      return ExtractedAnswer(text: trimmed, source: .wholeText)
    }
    if options.wholeText, !trimmed.isEmpty, trimmed.utf8.count <= 100,
      !trimmed.contains(where: { $0 == " " || $0 == "\n" || $0 == "\t" })
    {
      // One token (`12:00`, `AZYUK2A`, `1,000.99$`) is the answer as written, not a number inside it.
      return ExtractedAnswer(text: trimmed, source: .wholeText)
    }
    if options.lastNumberFallback, let n = lastNumber(text) {
      return ExtractedAnswer(text: n, source: .lastNumber)
    }
    if options.wholeText, !prose, !trimmed.isEmpty, trimmed.utf8.count <= 100, !trimmed.contains("\n") {
      return ExtractedAnswer(text: trimmed, source: .wholeText)
    }
    return nil
  }

  /// Content of the last `\boxed{…}` or `\fbox{…}` (nested braces), or `\boxed X` up to `$`/space.
  public static func lastBoxed(_ text: String) -> String? {
    AnswerScanner.boxes(text, limit: Int.max).last?.content
  }

  /// Contents of every box, in order (at most `limit`).
  public static func allBoxed(_ text: String, limit: Int = 1000) -> [String] {
    AnswerScanner.boxes(text, limit: limit).map(\.content)
  }

  /// The answer stated by the last "Final Answer" sentence ("The final answer is $X$. I hope it is
  /// correct."; "Final Answer: The largest $n$ is 34."): the part after its last " is ", read with
  /// the extractor's other steps. `start` is where the phrase begins.
  static func finalAnswer(_ text: String) -> (text: String, start: Int)? {
    guard let r = text.range(of: "final answer", options: [.backwards, .caseInsensitive]) else { return nil }
    var t = String(text[r.upperBound...])
    if let hope = t.range(of: "I hope") { t = String(t[..<hope.lowerBound]) }
    t = t.trimmingCharacters(in: CharacterSet(charactersIn: " *:\n\t"))
    if t.lowercased().hasPrefix("is ") { t = String(t.dropFirst(3)) }
    var inner = AnswerExtractionOptions()
    inner.minervaPhrase = false
    inner.answerIsPhrase = false
    inner.gsm8k = false
    if let b = AnswerScanner.boxedAnswer(t) {
      return (b.text, text.utf8.distance(from: text.startIndex, to: r.lowerBound))
    }
    t = firstLine(t)
    if let stop = t.range(of: ". ") { t = String(t[..<stop.lowerBound]) }
    if let isR = t.range(of: " is ", options: .backwards) { t = String(t[isR.upperBound...]) }
    while let l = t.last, l == "." || l == " " || l == "\"" { t.removeLast() }
    while let f = t.first, f == "\"" || f == " " { t.removeFirst() }
    guard !t.isEmpty, let found = extract(t, options: inner) else { return nil }
    return (found.text, text.utf8.distance(from: text.startIndex, to: r.lowerBound))
  }

  /// The answer after the last `key` ("final answer is", "he answer is"): a math environment or box
  /// right after it, else the rest of the sentence (Minerva's ". I hope it is correct." removed).
  static func phrase(_ text: String, _ key: String) -> String? {
    guard let r = text.range(of: key, options: [.backwards, .caseInsensitive]) else { return nil }
    var tail = Substring(text[r.upperBound...])
    if let hope = tail.range(of: "I hope") { tail = tail[..<hope.lowerBound] }
    var t = String(tail).trimmingCharacters(in: .whitespacesAndNewlines)
    if t.hasPrefix(":") { t = String(t.dropFirst()).trimmingCharacters(in: .whitespaces) }
    if let b = AnswerScanner.boxedAnswer(t) { return b.text }
    if let env = AnswerScanner.firstMathEnvironment(t) { return env }
    t = firstLine(t)
    if let stop = t.range(of: ". ") { t = String(t[..<stop.lowerBound]) }
    while let l = t.last, l == "." || l == "/" || l == " " || l == "\"" { t.removeLast() }
    while let f = t.first, f == "\"" || f == " " { t.removeFirst() }
    return t.isEmpty ? nil : t
  }

  static func firstLine(_ s: String) -> String {
    let t = s.trimmingCharacters(in: .whitespaces)
    return String(t.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
      .trimmingCharacters(in: .whitespaces)
  }

  /// Last number in the text (`-?[0-9,]*\.?[0-9]+`), not glued to a preceding letter (`AZYUK2A` has
  /// none); thousands commas removed, a lone decimal comma (`2,74`) read as a point.
  public static func lastNumber(_ text: String) -> String? {
    let b = Array(text.utf8)
    var k = b.count - 1
    while k >= 0 {
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
      let glued = start > 0 && AnswerScanner.isLetter(b[start - 1])
      if glued {
        k = start - 1
        continue
      }
      // A simple fraction `2/3` is one number.
      var numStart = start
      if start >= 2, b[start - 1] == 47, b[start - 2] >= 48, b[start - 2] <= 57 {
        numStart = start - 1
        while numStart > 0, b[numStart - 1] >= 48, b[numStart - 1] <= 57 { numStart -= 1 }
      }
      if numStart > 0, b[numStart - 1] == 45 { numStart -= 1 }
      let s = String(decoding: b[start..<end], as: UTF8.self)
      var n = MathNormalizer.decimalComma(s) ?? s.replacingOccurrences(of: ",", with: "")
      if numStart < start { n = String(decoding: b[numStart..<start], as: UTF8.self) + n }
      if end < b.count, b[end] == 37 { n += "%" }
      return n.isEmpty ? nil : n
    }
    return nil
  }
}
