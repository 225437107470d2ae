import Foundation

/// String-level normalisation of a LaTeX answer before parsing, in the spirit of Hendrycks'
/// `strip_string` (MATH) and Minerva's `normalize_final_answer` (Lewkowycz et al. 2022), minus
/// their known damage (Qwen's unit list deletes the variables `a`, `m`, `s`, `t` anywhere; we only
/// drop unit words after a number or inside `\text{}`).
///
/// Example: `"\\$1,\\!000.50 \\text{ dollars}"` → `"1000.50"`; `"\\dfrac12"` → `"\\frac12"`;
/// `"x \\in \\left[ 2, 3 \\right)"` → `"[2,3)"`.
enum MathNormalizer {
  static let unitWords: Set<String> = [
    "unit", "units", "sq", "square", "cubic", "cm", "mm", "km", "m", "meter", "meters", "metre", "metres",
    "centimeter", "centimeters", "kilometer", "kilometers", "inch", "inches", "in", "ft", "foot", "feet",
    "yard", "yards", "mile", "miles", "mph", "degree", "degrees", "deg", "radian", "radians",
    "second", "seconds", "sec", "s", "minute", "minutes", "min", "hour", "hours", "hr", "hrs", "day", "days",
    "week", "weeks", "month", "months", "year", "years", "cent", "cents", "dollar", "dollars",
    "pound", "pounds", "lb", "lbs", "ounce", "ounces", "oz", "gram", "grams", "g", "kg", "kilogram",
    "kilograms", "liter", "liters", "litre", "litres", "ml", "l", "gallon", "gallons", "people",
    "person", "persons", "students", "student", "times", "ways", "points", "point", "coins", "cups",
    "cup", "pages", "page", "books", "apples", "marbles", "games", "tickets", "boxes", "hours.",
  ]

  static func normalize(_ input: String) -> String {
    var s = input.trimmingCharacters(in: .whitespacesAndNewlines)
    if s.utf8.count > 4000 { return s }
    s = stripMathDelimiters(s)
    s = undoubleBackslashes(s)
    s = replaceUnicode(s)
    // Degrees and percent signs.
    for (a, b) in [
      ("^{\\circ}", ""), ("^\\circ", ""), ("\\circ", ""), ("\\degree", ""), ("\\%", "%"), ("\\$", ""),
      ("$", ""),
      ("\\displaystyle", ""), ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"), ("\\cfrac", "\\frac"),
      ("\\dbinom", "\\binom"), ("\\tbinom", "\\binom"), ("{,}", ""), ("\\leq", "\\le"), ("\\geq", "\\ge"),
      ("\\neq", "\\ne"), ("\\emptyset", "\\{\\}"), ("\\varnothing", "\\{\\}"), ("\\lbrace", "\\{"),
      ("\\rbrace", "\\}"), ("\\lvert", "|"), ("\\rvert", "|"), ("\\vert", "|"), ("\\mid", "|"),
      ("\\infin", "\\infty"), ("\\inftyty", "\\infty"), ("{, }", ""), ("\\qquad", " "), ("\\quad", " "),
      (")or(", "),("), (") or (", "),("), (", and ", ", "), (",and ", ","),
    ] where s.contains(a) {
      s = s.replacingOccurrences(of: a, with: b)
    }
    // Thousands separators written `1,\!000`.
    s = s.replacingOccurrences(of: ",\\! ", with: ",\\!")
    s = s.replacingOccurrences(of: ",\\!", with: "")
    s = removeSpacingCommands(s)
    s = unwrapText(s)
    s = s.replacingOccurrences(of: "\\\\%", with: "%")
    s = stripTrailingUnits(s)
    s = s.trimmingCharacters(in: .whitespacesAndNewlines)
    // Trailing sentence punctuation and TeX line breaks.
    while let last = s.last, last == "." || last == " " || last == "," || last == "\\" {
      s.removeLast()
    }
    s = stripVariablePrefix(s)
    s = s.replacingOccurrences(of: "\\mathbb{R}", with: "(-\\infty,\\infty)")
    for env in ["bmatrix", "Bmatrix", "vmatrix", "smallmatrix", "matrix", "array"] {
      s = s.replacingOccurrences(of: "{\(env)}", with: "{pmatrix}")
    }
    s = stripArrayColumnSpec(s)
    s = decimalComma(s) ?? removeThousandsCommas(s)
    s = simplifySubscripts(s)
    if s.lowercased() == "infinity" || s == "inf" || s == "\\inf" { s = "\\infty" }
    if s.hasPrefix("+\\infty") { s.removeFirst() }
    return s
  }

  /// Canonical spelling used for string comparison: no whitespace, lowercase.
  /// Commands that a doubled backslash (`\\\\frac`, from over-escaped strings) still names.
  static let doubledCommands = [
    "frac", "dfrac", "tfrac", "left", "right", "sqrt", "pi", "cdot", "times", "infty", "le", "ge", "leq",
    "geq",
    "lt", "gt", "ne", "neq", "text", "mathrm", "boxed", "pm", "in", "cup", "sin", "cos", "tan", "log", "ln",
  ]

  /// `\\frac` → `\frac` for the commands above (a `\\` row break followed by one of them is rare).
  static func undoubleBackslashes(_ input: String) -> String {
    guard input.contains("\\\\") else { return input }
    var s = input
    for c in doubledCommands where s.contains("\\\\" + c) {
      var out = ""
      var rest = Substring(s)
      while let r = rest.range(of: "\\\\" + c) {
        let after = rest[r.upperBound...].first
        let isWhole = after.map { !$0.isLetter } ?? true
        let tripled = r.lowerBound > rest.startIndex && rest[rest.index(before: r.lowerBound)] == "\\"
        out += rest[..<r.lowerBound]
        out += isWhole && !tripled ? "\\" + c : String(rest[r])
        rest = rest[r.upperBound...]
      }
      s = out + rest
    }
    return s
  }

  static func compactKey(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars where u != " " && u != "\t" && u != "\n" { out.append(u) }
    return String(out).lowercased()
  }

  static func stripMathDelimiters(_ input: String) -> String {
    var s = input
    for (open, close) in [("\\(", "\\)"), ("\\[", "\\]"), ("$$", "$$"), ("$", "$")]
    where s.hasPrefix(open) && s.hasSuffix(close) && s.count >= open.count + close.count {
      s = String(s.dropFirst(open.count).dropLast(close.count)).trimmingCharacters(in: .whitespaces)
    }
    return s
  }

  static func replaceUnicode(_ input: String) -> String {
    guard input.unicodeScalars.contains(where: { !$0.isASCII }) else { return input }
    let table: [Character: String] = [
      "−": "-", "–": "-", "×": "\\times ", "·": "\\cdot ", "÷": "\\div ", "π": "\\pi ", "√": "\\sqrt",
      "∞": "\\infty ", "≤": "\\le ", "≥": "\\ge ", "≠": "\\ne ", "°": "", "∪": "\\cup ", "∩": "\\cap ",
      "±": "\\pm ", "θ": "\\theta ", "α": "\\alpha ", "β": "\\beta ", "\u{00A0}": " ", "∅": "\\{\\}",
    ]
    var out = ""
    for ch in input { out += table[ch] ?? String(ch) }
    return out
  }

  /// Drops `\left`, `\right`, `\!`, `\,`, `\;`, `\:`, `\ `, `~`, `\quad`, `\big…` (spacing only).
  static func removeSpacingCommands(_ input: String) -> String {
    guard input.contains("\\") || input.contains("~") else { return input }
    var out: [UInt8] = []
    let b = Array(input.utf8)
    var i = 0
    while i < b.count {
      let c = b[i]
      if c == 126 {
        out.append(32)
        i += 1
        continue
      }
      if c == 92, i + 1 < b.count, b[i + 1] == 92 {  // `\\` row break stays
        out += [92, 92]
        i += 2
        continue
      }
      if c == 92, i + 1 < b.count {
        let n = b[i + 1]
        if n == 33 || n == 44 || n == 59 || n == 58 || n == 32 {
          out.append(32)
          i += 2
          continue
        }
        var j = i + 1
        while j < b.count, (b[j] | 0x20) >= 97, (b[j] | 0x20) <= 122 { j += 1 }
        let name = String(decoding: b[(i + 1)..<j], as: UTF8.self)
        if ["left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big", "biggl", "biggr"].contains(name) {
          i = j
          if i < b.count, b[i] == 46 { i += 1 }  // `\left.` is an invisible delimiter
          continue
        }
        if name == "quad" || name == "qquad" {
          out.append(32)
          i = j
          continue
        }
      }
      out.append(c)
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `\text{…}`-like wrappers: a unit word after other content is dropped (with a following
  /// `^2`/`^3`); any other content is kept without the wrapper.
  static func unwrapText(_ input: String) -> String {
    var s = input
    let wrappers = [
      "\\text", "\\textbf", "\\textit", "\\textrm", "\\mbox", "\\mathrm", "\\mathbf", "\\textnormal",
    ]
    var guardCount = 0
    while guardCount < 50 {
      guardCount += 1
      var found: (Range<String.Index>, String)? = nil
      for w in wrappers {
        if let r = s.range(of: w + "{"), found == nil || r.lowerBound < found!.0.lowerBound { found = (r, w) }
        if let r = s.range(of: w + " {"), found == nil || r.lowerBound < found!.0.lowerBound {
          found = (r, w)
        }
      }
      guard let (r, _) = found else { break }
      // Find the matching brace.
      var depth = 1
      var j = r.upperBound
      while j < s.endIndex, depth > 0 {
        if s[j] == "{" { depth += 1 } else if s[j] == "}" { depth -= 1 }
        if depth > 0 { j = s.index(after: j) }
      }
      guard j < s.endIndex else { break }
      let content = String(s[r.upperBound..<j])
      var after = s.index(after: j)
      let before = s[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
      let word = content.trimmingCharacters(in: .whitespaces).lowercased()
      if !before.isEmpty, isUnitPhrase(word), before.contains(where: { $0.isNumber || $0 == "}" }) {
        for p in ["^2", "^3", "^{2}", "^{3}"] where s[after...].hasPrefix(p) {
          after = s.index(after, offsetBy: p.count)
        }
        s = String(s[..<r.lowerBound]) + String(s[after...])
      } else if word.hasPrefix("or ") || word == "or" || word == "and" {
        s = String(s[..<r.lowerBound]) + ", " + String(s[after...])
      } else {
        s = String(s[..<r.lowerBound]) + content + String(s[after...])
      }
    }
    return s
  }

  static func isUnitPhrase(_ w: String) -> Bool {
    let parts = w.split(whereSeparator: { $0 == " " || $0 == "-" })
    guard !parts.isEmpty else { return false }
    return parts.allSatisfy { unitWords.contains(String($0)) || $0 == "per" || $0 == "of" }
  }

  /// `18 cm`, `90 degrees`, `5 square units`: trailing unit words after a number (kept when
  /// nothing numeric precedes them, so `m` or `s` alone stay variables).
  static func stripTrailingUnits(_ input: String) -> String {
    var s = input
    for _ in 0..<4 {
      let t = s.trimmingCharacters(in: .whitespaces)
      var k = t.endIndex
      while k > t.startIndex, t[t.index(before: k)].isLetter { k = t.index(before: k) }
      let word = t[k...].lowercased()
      let rest = t[..<k]
      let percent = word == "percent" || word == "pct" || word == "percentage"
      guard !word.isEmpty, unitWords.contains(word) || percent, let lastRest = rest.last,
        lastRest == " " || lastRest.isNumber,
        rest.contains(where: { $0.isNumber })
      else { return t }
      s = String(rest).trimmingCharacters(in: .whitespaces) + (percent ? "%" : "")
      if percent { return s }
    }
    return s
  }

  /// `x = 5`-style prefixes are kept (equations are compared structurally), but `x \in` goes.
  static func stripVariablePrefix(_ input: String) -> String {
    let b = Array(input.utf8)
    var i = 0
    while i < b.count, b[i] == 32 { i += 1 }
    guard i < b.count, (b[i] | 0x20) >= 97, (b[i] | 0x20) <= 122 else { return input }
    var j = i + 1
    while j < b.count, b[j] == 32 { j += 1 }
    let rest = String(decoding: b[j...], as: UTF8.self)
    if rest.hasPrefix("\\in ") || rest.hasPrefix("\\in(") || rest.hasPrefix("\\in[")
      || rest.hasPrefix("\\in\\")
    {
      return String(rest.dropFirst(3)).trimmingCharacters(in: .whitespaces)
    }
    return input
  }

  static func stripArrayColumnSpec(_ input: String) -> String {
    guard let r = input.range(of: "\\begin{pmatrix}{") else { return input }
    guard let close = input[r.upperBound...].firstIndex(of: "}") else { return input }
    let spec = input[r.upperBound..<close]
    guard spec.allSatisfy({ "lcr|".contains($0) }) else { return input }
    return String(input[..<r.upperBound].dropLast()) + String(input[input.index(after: close)...])
  }

  /// `4210_{5}` → `4210_5`, `x_{1}` → `x_1` (one-token subscripts lose their braces).
  static func simplifySubscripts(_ input: String) -> String {
    guard input.contains("_{") else { return input }
    var b = Array(input.utf8)
    var i = 0
    while i + 2 < b.count {
      if b[i] == 95, b[i + 1] == 123 {
        var j = i + 2
        while j < b.count, (b[j] >= 48 && b[j] <= 57) || ((b[j] | 0x20) >= 97 && (b[j] | 0x20) <= 122) {
          j += 1
        }
        let allDigits = b[(i + 2)..<j].allSatisfy { $0 >= 48 && $0 <= 57 }
        if j < b.count, b[j] == 125, j > i + 2, allDigits || j == i + 3 {
          b.remove(at: j)
          b.remove(at: i + 1)
        }
      }
      i += 1
    }
    return String(decoding: b, as: UTF8.self)
  }

  /// `2,74` → `2.74`, `0,111` → `0.111`: one comma followed by 2 or ≥ 4 digits (not a thousands
  /// group), or after a lone `0`, is a decimal comma (European notation, as math-verify reads it).
  /// `1,2` and `3,500` are left alone (a list of two answers; a thousands separator).
  static func decimalComma(_ s: String) -> String? {
    let b = Array(s.utf8)
    var i = 0
    if i < b.count, b[i] == 45 { i += 1 }
    let intStart = i
    while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
    let intLen = i - intStart
    guard intLen >= 1, i < b.count, b[i] == 44 else { return nil }
    let fracStart = i + 1
    var j = fracStart
    while j < b.count, b[j] >= 48, b[j] <= 57 { j += 1 }
    let fracLen = j - fracStart
    guard j == b.count, fracLen >= 1 else { return nil }
    let leadingZero = intLen == 1 && b[intStart] == 48
    guard leadingZero || (fracLen >= 2 && fracLen != 3) else { return nil }
    return s.replacingOccurrences(of: ",", with: ".")
  }

  /// `58,500` → `58500` when the whole answer is one number with 3-digit groups.
  static func removeThousandsCommas(_ input: String) -> String {
    guard input.contains(",") else { return input }
    let b = Array(input.utf8)
    var i = 0
    if i < b.count, b[i] == 45 { i += 1 }
    var lead = 0
    while i < b.count, b[i] >= 48, b[i] <= 57 {
      i += 1
      lead += 1
    }
    guard lead >= 1, lead <= 3 else { return input }
    var groups = 0
    while i < b.count, b[i] == 44 {
      guard i + 3 < b.count || i + 3 == b.count - 0 else { return input }
      var k = 0
      while k < 3, i + 1 + k < b.count, b[i + 1 + k] >= 48, b[i + 1 + k] <= 57 { k += 1 }
      guard k == 3 else { return input }
      i += 4
      groups += 1
    }
    guard groups > 0 else { return input }
    if i < b.count, b[i] == 46 {
      i += 1
      while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
    }
    guard i == b.count else { return input }
    return input.replacingOccurrences(of: ",", with: "")
  }
}
