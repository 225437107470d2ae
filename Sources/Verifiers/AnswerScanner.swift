import Foundation

/// Byte-level scanners behind `AnswerExtractor`: boxes, math environments, prose detection.
enum AnswerScanner {
  struct Box {
    var content: String
    /// Byte offsets of `\boxed` and one past the closing brace.
    var start: Int
    var end: Int
  }

  static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }

  /// Every `\boxed{…}` / `\fbox{…}` (nested braces) and `\boxed X`, in order (at most `limit`).
  static func boxes(_ text: String, limit: Int) -> [Box] {
    let b = Array(text.utf8)
    var out: [Box] = []
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
        guard let k = closingBrace(b, from: j) else { return out }  // unbalanced: ignore the unfinished box
        let content = String(decoding: b[(j + 1)..<k], as: UTF8.self).trimmingCharacters(
          in: .whitespacesAndNewlines)
        out.append(Box(content: content, start: i, end: k + 1))
        i = k + 1
      } else if j < b.count, b[j] == 32 {
        while j < b.count, b[j] == 32 { j += 1 }
        var k = j
        while k < b.count, b[k] != 36, b[k] != 32, b[k] != 10 { k += 1 }
        if k > j { out.append(Box(content: String(decoding: b[j..<k], as: UTF8.self), start: i, end: k)) }
        i = k
      } else {
        i = j
      }
    }
    return out
  }

  /// Index of the `}` closing the `{` at `open` (backslash escapes skipped), nil when unbalanced.
  static func closingBrace(_ b: [UInt8], from open: Int) -> Int? {
    var depth = 0
    var k = open
    while k < b.count {
      if b[k] == 92 {
        k += 2
        continue
      }
      if b[k] == 123 { depth += 1 }
      if b[k] == 125 {
        depth -= 1
        if depth == 0 { return k }
      }
      k += 1
    }
    return nil
  }

  /// The last box; boxes before it joined only by separators (`,` `;` `+` spaces, `$`, "and", "or",
  /// `\quad`) belong to the same answer and make a list (`\boxed{1}, \boxed{2}` → `1, 2`); a run of
  /// identical boxes is one answer.
  static func boxedAnswer(_ text: String) -> (text: String, start: Int)? {
    let all = boxes(text, limit: 1000)
    // `\boxed{\boxed{7}}`: a box that only holds boxes is read as its inner answer.
    let contents = all.map { box -> (String, Int, Int) in
      var c = box.content
      for _ in 0..<4 {
        guard c.hasPrefix("\\boxed") || c.hasPrefix("\\fbox"), let inner = boxedAnswer(c) else { break }
        c = inner.text
      }
      return (c, box.start, box.end)
    }
    guard let joined = joinRun(text, contents) else { return nil }
    return (joined.text, joined.start)
  }

  /// The last item joined with the items before it that only separators divide from it.
  static func joinRun(_ text: String, _ all: [(String, Int, Int)]) -> (text: String, start: Int, end: Int)? {
    guard var k = all.indices.last else { return nil }
    let b = Array(text.utf8)
    while k > 0, all[k - 1].2 <= all[k].1, isSeparatorGap(b[all[k - 1].2..<all[k].1]) { k -= 1 }
    var items: [String] = []
    // Equal items are one answer written twice (`\boxed{15\frac{39}{40}}, or \boxed{\frac{639}{40}}`).
    for item in all[k...] where !item.0.isEmpty {
      if items.contains(where: {
        $0 == item.0 || MathGrader.equivalent(reference: $0, answer: item.0).equivalent
      }) {
        continue
      }
      items.append(item.0)
    }
    guard !items.isEmpty else { return nil }
    return (items.joined(separator: ", "), all[k].1, all[all.count - 1].2)
  }

  /// `y_2 =`, `x =`: a label between two boxed answers.
  private static let labelPattern = try? NSRegularExpression(pattern: "[A-Za-z](_\\{?[0-9A-Za-z]+\\}?)? *=")

  /// Words that turn "X and Y" into a narrative ("…, and then corrected to …"), not a conjunction.
  static let narrativeWords: Set<String> = [
    "then", "so", "but", "not", "wrong", "correct", "incorrect", "instead", "is", "was", "actually",
    "corrected", "rather", "try", "again", "recheck", "therefore", "hence", "thus",
  ]

  /// A conjunction of answers: a gap without sentence punctuation holding the word "and" and at most
  /// three other words, none narrative (`\boxed{1} papers and \boxed{2}`, `\boxed{(3,3)} \text{ for
  /// part (a) and } \boxed{(1,1)}`).
  static func isConjunctionGap(_ s: String) -> Bool {
    guard s.utf8.count <= 60, !s.contains("."), !s.contains("\n"), !s.contains(":") else { return false }
    var words: [String] = []
    let b = Array(s.utf8)
    var i = 0
    while i < b.count {
      if b[i] == 92 {  // a command name is not a word
        i += 1
        while i < b.count, isLetter(b[i]) { i += 1 }
        continue
      }
      if isLetter(b[i]) {
        var j = i
        while j < b.count, isLetter(b[j]) { j += 1 }
        if j - i >= 2 { words.append(String(decoding: b[i..<j], as: UTF8.self).lowercased()) }
        i = j
        continue
      }
      i += 1
    }
    guard words.contains("and") else { return false }
    let others = words.filter { $0 != "and" }
    return others.count <= 3 && !others.contains(where: { narrativeWords.contains($0) })
  }

  static func isSeparatorGap(_ gap: ArraySlice<UInt8>) -> Bool {
    var s = String(decoding: gap, as: UTF8.self)
    if isConjunctionGap(s) { return true }
    guard s.utf8.count <= 80 else { return false }
    for w in [
      "\\text{ and }", "\\text{and}", "\\text{ or }", "\\text{or}", "\\qquad", "\\quad", "\\(", "\\)",
      " and ",
      " or ",
    ] {
      s = s.replacingOccurrences(of: w, with: " ")
    }
    if let re = labelPattern {
      s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: " ")
    }
    return s.utf8.allSatisfy {
      $0 == 32 || $0 == 44 || $0 == 59 || $0 == 43 || $0 == 36 || $0 == 9 || $0 == 92
    }
  }

  /// A math environment: `$$…$$`, `\[…\]` (may span lines), `$…$`, `\(…\)` (one line), with its
  /// content and byte range; `\$` is an escaped dollar, not a delimiter.
  static func mathEnvironments(_ text: String, limit: Int = 10_000) -> [(String, Int, Int)] {
    let b = Array(text.utf8)
    var out: [(String, Int, Int)] = []
    var i = 0
    while i < b.count, out.count < limit {
      let c = b[i]
      var close: [UInt8] = []
      var openLen = 0
      var multiline = true
      if c == 36 {
        if i + 1 < b.count, b[i + 1] == 36 {
          (close, openLen) = ([36, 36], 2)
        } else {
          (close, openLen, multiline) = ([36], 1, false)
        }
      } else if c == 92, i + 1 < b.count {
        if b[i + 1] == 91 {
          (close, openLen) = ([92, 93], 2)
        } else if b[i + 1] == 40 {
          (close, openLen, multiline) = ([92, 41], 2, false)
        } else {
          i += 2  // an escaped character (`\$`) or a command
          continue
        }
      } else {
        i += 1
        continue
      }
      var j = i + openLen
      var found = -1
      while j + close.count <= b.count {
        if b[j] == 92, close[0] != 92 || b[j + 1 < b.count ? j + 1 : j] != close[close.count - 1] {
          j += 2
          continue
        }
        if !multiline, b[j] == 10 { break }
        if b[j..<(j + close.count)].elementsEqual(close) {
          found = j
          break
        }
        j += 1
      }
      guard found >= 0 else {
        i += openLen
        continue
      }
      let content = String(decoding: b[(i + openLen)..<found], as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      if !content.isEmpty { out.append((content, i, found + close.count)) }
      i = found + close.count
    }
    return out
  }

  /// The last environment, joined with the ones before it that only separators divide from it
  /// (`$1$ and $2$` → `1, 2`).
  static func lastMathEnvironment(_ text: String) -> (text: String, end: Int)? {
    guard let run = joinRun(text, mathEnvironments(text)) else { return nil }
    return (run.text, run.end)
  }

  /// The last number of the text after byte `end` when a sentence ends in between (". " or a
  /// newline, outside that number).
  static func numberInLaterSentence(_ text: String, after end: Int) -> String? {
    let b = Array(text.utf8)
    guard end < b.count else { return nil }
    let tail = String(decoding: b[end...], as: UTF8.self)
    if let stop = tail.range(of: ". ") ?? tail.range(of: "\n") {
      return AnswerExtractor.lastNumber(String(tail[stop.upperBound...]))
    }
    // The environment closed its sentence (`… \geq 2.$$ Therefore, … by 100%.`).
    let before = String(decoding: b[..<end], as: UTF8.self).trimmingCharacters(
      in: CharacterSet(charactersIn: "$\\]) "))
    let next = tail.trimmingCharacters(in: .whitespaces).first
    guard before.hasSuffix("."), let next, next.isUppercase else { return nil }
    return AnswerExtractor.lastNumber(tail)
  }

  /// The environment at the start of `text` (after spaces), e.g. after "the answer is".
  static func firstMathEnvironment(_ text: String) -> String? {
    guard let f = text.first, f == "$" || text.hasPrefix("\\(") || text.hasPrefix("\\[") else { return nil }
    return mathEnvironments(text, limit: 1).first?.0
  }

  /// Words (letter runs of ≥ 2 outside LaTeX commands and `\text{…}`) that may end a bare answer
  /// without making it prose: connectives and the unit words `MathNormalizer` strips.
  static let answerWords: Set<String> = ["and", "or", "pct", "percent", "percentage"]

  /// Text that reads as prose rather than an answer: a word of ≥ 2 letters outside commands and
  /// `\text{}` that is neither a connective nor a known unit, or more than 300 bytes.
  static func isProse(_ text: String) -> Bool {
    if text.utf8.count > 300 { return true }
    let b = Array(text.utf8)
    var i = 0
    while i < b.count {
      if b[i] == 92 {
        var j = i + 1
        while j < b.count, isLetter(b[j]) { j += 1 }
        let name = String(decoding: b[(i + 1)..<j], as: UTF8.self)
        let grouped =
          name.hasPrefix("text") || name == "mbox" || name == "mathrm" || name == "begin" || name == "end"
        if grouped, j < b.count, b[j] == 123,
          let k = closingBrace(b, from: j)
        {
          i = k + 1
          continue
        }
        i = max(j, i + 2)
        continue
      }
      if isLetter(b[i]) {
        var j = i
        while j < b.count, isLetter(b[j]) { j += 1 }
        let word = String(decoding: b[i..<j], as: UTF8.self).lowercased()
        if j - i >= 2, !answerWords.contains(word), !MathNormalizer.unitWords.contains(word),
          !MathExprParser.knownName(word)
        {
          return true
        }
        i = j
        continue
      }
      i += 1
    }
    return false
  }

  /// Whether the normalised text parses as mathematics (not the `.text` fallback).
  static func readsAsMath(_ text: String) -> Bool {
    if case .text = MathAnswerForm.parse(MathNormalizer.normalize(text)) { return false }
    return true
  }
}
