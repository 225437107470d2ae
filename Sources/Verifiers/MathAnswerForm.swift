import Foundation

/// The shape of a normalised answer: a single expression or a structure of expressions.
///
/// Example: `(-\infty, 2) \cup (3, \infty)` is
/// `.union([.tuple("(", ")", [-∞, 2]), .tuple("(", ")", [3, ∞])])`; `1 \pm \sqrt{19}` is a `.list`.
indirect enum MathAnswerForm: Sendable {
  case expr(MathExpr)
  case equation(MathExpr, MathExpr)
  /// Bracketed comma list: point, vector or interval; `open`/`close` are `(`/`[` and `)`/`]`.
  case tuple(open: Character, close: Character, [MathAnswerForm])
  /// `\{a, b\}`: order-free.
  case set([MathAnswerForm])
  /// Bare `a, b`: several answers, order-free.
  case list([MathAnswerForm])
  case union([MathAnswerForm])
  case matrix([[MathAnswerForm]])
  /// `x%`: the number x/100 or x.
  case percent(MathExpr)
  /// `(p,q) = (3,2)`: an answer labelled with the variables it gives (compared with or without them).
  case labelled([String], MathAnswerForm)
  /// Anything that does not parse; compared as a compact lower-case string.
  case text(String)

  static let maxItems = 64

  /// Parses a normalised answer string (see `MathNormalizer.normalize`).
  static func parse(_ s: String, depth: Int = 0) -> MathAnswerForm {
    let t = s.trimmingCharacters(in: .whitespaces)
    guard depth < 8, !t.isEmpty else { return .text(MathNormalizer.compactKey(t)) }
    if t.contains("\\approx") { return parse(MathRelation.dropApproximations(t), depth: depth + 1) }
    if let m = MathMatrixArithmetic.evaluate(t) { return m }
    let unionParts = splitTopLevel(t, separator: "\\cup")
    if unionParts.count > 1 && unionParts.count <= maxItems {
      return .union(unionParts.map { parse($0, depth: depth + 1) })
    }
    if t.hasPrefix("\\begin{pmatrix}"), t.hasSuffix("\\end{pmatrix}") {
      let inner = String(t.dropFirst(15).dropLast(13))
      let rows = splitTopLevel(inner, separator: "\\\\").filter {
        !$0.trimmingCharacters(in: .whitespaces).isEmpty
      }
      let cells = rows.map { splitTopLevel($0, separator: "&").map { parse($0, depth: depth + 1) } }
      if !cells.isEmpty, cells.count <= maxItems { return .matrix(cells) }
    }
    if t.hasPrefix("{"), t.hasSuffix("}"), isWrapped(t, openLen: 1),
      splitTopLevel(t.dropFirst().dropLast().description, separator: ",").count > 1
    {
      // `{1,2,3}`: a set written with plain braces.
      return .set(expandList(splitTopLevel(String(t.dropFirst().dropLast()), separator: ","), depth: depth))
    }
    if t.hasPrefix("\\{"), t.hasSuffix("\\}"), isWrapped(t, openLen: 2) {
      let inner = String(t.dropFirst(2).dropLast(2))
      if inner.trimmingCharacters(in: .whitespaces).isEmpty { return .set([]) }
      return .set(expandList(splitTopLevel(inner, separator: ","), depth: depth))
    }
    if let f = t.first, let l = t.last, "([".contains(f), ")]".contains(l) {
      let inner = String(t.dropFirst().dropLast())
      var parts = splitTopLevel(inner, separator: ",")
      if parts.count == 1 { parts = splitTopLevel(inner, separator: ";") }  // `(0;-2;6)`
      if parts.count > 1 && parts.count <= maxItems && isBalanced(inner) {
        return .tuple(open: f, close: l, parts.map { parse($0, depth: depth + 1) })
      }
    }
    let groups = splitTopLevel(t, separator: ";").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    if groups.count > 1 && groups.count <= maxItems {
      // `-12;-11;-10` is a list; `p=5,q=2;p=7,q=2` a list of labelled points.
      return .list(groups.map { labelledPoint($0, depth: depth) ?? parse($0, depth: depth + 1) })
    }
    if splitTopLevel(t, separator: ",").count == 1, let rel = MathRelation.interval(t, depth: depth) {
      return rel
    }
    let rawItems = splitTopLevel(t, separator: ",")
    let items = rawItems.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    if items.count == 1 && rawItems.count > 1 { return parse(items[0], depth: depth + 1) }
    if items.count > 1 {
      return items.count <= maxItems
        ? .list(expandList(items, depth: depth)) : .text(MathNormalizer.compactKey(t))
    }
    if t.contains("\\pm") || t.contains("\\mp") {
      let plus = t.replacingOccurrences(of: "\\pm", with: "+").replacingOccurrences(of: "\\mp", with: "-")
      let minus = t.replacingOccurrences(of: "\\pm", with: "-").replacingOccurrences(of: "\\mp", with: "+")
      return .list([parse(plus, depth: depth + 1), parse(minus, depth: depth + 1)])
    }
    var eqParts = splitTopLevel(t, separator: "=")
    if eqParts.count > 2 {
      // A chain `x = 5+5+1 = 11` states `x = 11`; `1 = y = 0`-like chains state their last value.
      if case .variable? = MathExprParser.parse(eqParts[0]) {
        eqParts = [eqParts[0], eqParts[eqParts.count - 1]]
      } else {
        return parse(eqParts[eqParts.count - 1], depth: depth + 1)
      }
    }
    if eqParts.count == 2, let labels = labels(eqParts[0]), MathExprParser.parse(eqParts[1]) == nil {
      return .labelled(labels, parse(eqParts[1], depth: depth + 1))
    }
    if eqParts.count == 2, isLabel(eqParts[0]) {
      // `f(x) = 1`, `|AB| = 1`, `A:B = 1`, `\frac{NO}{BO} = …`: a named quantity and its value.
      return .labelled([MathNormalizer.compactKey(eqParts[0])], parse(eqParts[1], depth: depth + 1))
    }
    if eqParts.count == 2, let l = MathExprParser.parse(eqParts[0]), l.variables.isEmpty,
      let r = MathExprParser.parse(eqParts[1]), r.variables.isEmpty
    {
      // `\frac{1}{2} \cdot 3 = \frac{3}{2}`: a computation; its result is the answer.
      return .expr(r)
    }
    if eqParts.count == 2, let l = MathExprParser.parse(eqParts[0]), let r = MathExprParser.parse(eqParts[1])
    {
      return .equation(l, r)
    }
    if t.hasSuffix("%"), let e = MathExprParser.parse(String(t.dropLast())) { return .percent(e) }
    if let e = MathExprParser.parse(t) { return .expr(e) }
    return .text(MathNormalizer.compactKey(choiceLetter(t) ?? t))
  }

  /// A quantity's name rather than an expression with a value: no digits outside subscripts, no
  /// top-level `+`/`-`, not a plain variable (`x = 5` stays an equation), e.g. `f(x)`, `|AB|`,
  /// `A:B`, `S_{MBCN}:S`, `V_1:V_2`, `\frac{NO}{BO}`.
  static func isLabel(_ s: String) -> Bool {
    let t = s.trimmingCharacters(in: .whitespaces)
    guard !t.isEmpty, t.utf8.count <= 40, t.contains(where: { $0.isLetter }) else { return false }
    if case .variable? = MathExprParser.parse(t) { return false }
    var depth = 0
    var inSubscript = false
    for c in t {
      if c == "{" || c == "(" { depth += 1 }
      if c == "}" || c == ")" {
        depth -= 1
        if depth == 0 { inSubscript = false }
      }
      if c == "_" { inSubscript = true }
      if c.isNumber && !inSubscript { return false }
      if (c == "+" || c == "-" || c == "^") && depth == 0 { return false }
      if c == " " && depth == 0 { inSubscript = false }
    }
    return true
  }

  /// `p=5, q=2`: equations of distinct variables, read as the point `(5, 2)` labelled `p, q`.
  static func labelledPoint(_ s: String, depth: Int) -> MathAnswerForm? {
    let items = splitTopLevel(s, separator: ",")
    guard items.count > 1, items.count <= maxItems else { return nil }
    var labels: [String] = []
    var values: [MathAnswerForm] = []
    for item in items {
      let eq = splitTopLevel(item, separator: "=")
      guard eq.count == 2, case .variable(let v)? = MathExprParser.parse(eq[0]), !labels.contains(v) else {
        return nil
      }
      labels.append(v)
      values.append(parse(eq[1], depth: depth + 1))
    }
    return .labelled(labels, .tuple(open: "(", close: ")", values))
  }

  /// The variables of a label: `x`, or `(p, q)` (distinct single variables).
  static func labels(_ s: String) -> [String]? {
    var t = s.trimmingCharacters(in: .whitespaces)
    if t.hasPrefix("("), t.hasSuffix(")") { t = String(t.dropFirst().dropLast()) }
    var out: [String] = []
    for part in splitTopLevel(t, separator: ",") {
      guard case .variable(let v)? = MathExprParser.parse(part), !out.contains(v) else { return nil }
      out.append(v)
    }
    return out.isEmpty ? nil : out
  }

  /// `(B)` / `B)` / `(b)` → `B` for multiple-choice answers.
  static func choiceLetter(_ t: String) -> String? {
    let core = t.trimmingCharacters(in: CharacterSet(charactersIn: "() ."))
    guard core.count == 1, let c = core.first, c.isLetter, "ABCDEabcde".contains(c) else { return nil }
    return core.uppercased()
  }

  private static func expandList(_ items: [String], depth: Int) -> [MathAnswerForm] {
    var out: [MathAnswerForm] = []
    for item in items {
      let f = parse(item, depth: depth + 1)
      if case .list(let sub) = f { out += sub } else { out.append(f) }
    }
    return out
  }

  /// Splits on `separator` outside (), [], {}, and `\{ \}`. A lone `[1,2)` style interval counts as
  /// balanced since brackets of any kind close each other here.
  static func splitTopLevel(_ s: String, separator: String) -> [String] {
    let b = Array(s.utf8)
    let sep = Array(separator.utf8)
    var parts: [String] = []
    var depth = 0
    var start = 0
    var i = 0
    while i < b.count {
      let c = b[i]
      if c == 40 || c == 91 || c == 123 {
        depth += 1
      } else if c == 41 || c == 93 || c == 125 {
        depth -= 1
      } else if c == 92, i + 1 < b.count, b[i + 1] == 123 || b[i + 1] == 125 {
        // `\{` / `\}` nest like braces.
        depth += b[i + 1] == 123 ? 1 : -1
        i += 2
        continue
      }
      if depth == 0, c == sep[0], i + sep.count <= b.count, Array(b[i..<(i + sep.count)]) == sep {
        // `\\` inside a separator like `\cup` must not match `\cupcake`-like prefixes of longer commands.
        let end = i + sep.count
        let letterAfter = end < b.count && (b[end] | 0x20) >= 97 && (b[end] | 0x20) <= 122
        if !(sep.count > 1 && sep[0] == 92 && sep.last.map({ ($0 | 0x20) >= 97 }) == true && letterAfter) {
          parts.append(String(decoding: b[start..<i], as: UTF8.self))
          i = end
          start = i
          continue
        }
      }
      i += 1
    }
    parts.append(String(decoding: b[start..<b.count], as: UTF8.self))
    return parts
  }

  static func isBalanced(_ s: String) -> Bool {
    var depth = 0
    for c in s.utf8 {
      if c == 40 || c == 91 || c == 123 { depth += 1 }
      if c == 41 || c == 93 || c == 125 { depth -= 1 }
      if depth < 0 { return false }
    }
    return depth == 0
  }

  /// Whether the opening delimiter of length `openLen` is closed only by the final one.
  static func isWrapped(_ s: String, openLen: Int) -> Bool {
    let inner = String(s.dropFirst(openLen).dropLast(openLen))
    return isBalanced(
      inner.replacingOccurrences(of: "\\{", with: "{").replacingOccurrences(of: "\\}", with: "}"))
  }
}
