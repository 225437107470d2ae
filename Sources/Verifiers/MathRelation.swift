import Foundation

/// Relations in an answer: inequalities read as the interval of one variable (`0 < x < 1` is
/// `(0,1)`, `x \ge 5` is `[5,\infty)`, `-x > -1` is `(-\infty,1)`, `x \ne 3` is
/// `(-\infty,3) \cup (3,\infty)`), and equation chains reduced to the answer they state
/// (`x = 5+5+1 = 11` is `x = 11`; `\frac{1}{3} \approx 0.33` keeps the exact part).
enum MathRelation {
  /// Relation operators in the order they are matched (longest first); `\\le` (a doubled
  /// backslash, a common typo in generated LaTeX) is read as `\le`.
  private static let ops: [(String, Kind)] = [
    ("\\\\le", .le), ("\\\\ge", .ge), ("\\le", .le), ("\\ge", .ge), ("\\lt", .lt), ("\\gt", .gt),
    ("\\ne", .ne), ("<=", .le), (">=", .ge), ("!=", .ne), ("<", .lt), (">", .gt),
  ]

  enum Kind { case lt, le, gt, ge, ne }

  /// The interval form of an inequality in one variable with constant bounds, nil otherwise.
  static func interval(_ t: String, depth: Int) -> MathAnswerForm? {
    guard
      t.contains("<") || t.contains(">") || t.contains("\\le") || t.contains("\\ge") || t.contains("\\lt")
        || t.contains("\\gt") || t.contains("\\ne") || t.contains("!=")
    else { return nil }
    let (parts, kinds) = split(t)
    guard kinds.count == 1 || kinds.count == 2, parts.count == kinds.count + 1 else { return nil }
    let exprs = parts.map { MathExprParser.parse($0) }
    guard exprs.allSatisfy({ $0 != nil }) else { return nil }
    let e = exprs.compactMap { $0 }
    if kinds.count == 1 {
      if let (v, neg) = variable(e[0]), e[1].variables.isEmpty {
        return bound(variable: v, negated: neg, kind: kinds[0], value: e[1])
      }
      if let (v, neg) = variable(e[1]), e[0].variables.isEmpty {
        return bound(variable: v, negated: neg, kind: flip(kinds[0]), value: e[0])
      }
      return nil
    }
    // a < x < b (or a > x > b): both operators point the same way; the middle is the subject
    // (`x`, `f(x)`, `|z|`), the ends are constants.
    guard !e[1].variables.isEmpty, e[0].variables.isEmpty, e[2].variables.isEmpty else { return nil }
    if case .neg = e[1] { return nil }
    let less = kinds.allSatisfy { $0 == .lt || $0 == .le }
    let greater = kinds.allSatisfy { $0 == .gt || $0 == .ge }
    guard less || greater else { return nil }
    let (lo, hi, loClosed, hiClosed) =
      less
      ? (e[0], e[2], kinds[0] == .le, kinds[1] == .le) : (e[2], e[0], kinds[1] == .ge, kinds[0] == .ge)
    let range = MathAnswerForm.tuple(
      open: loClosed ? "[" : "(", close: hiClosed ? "]" : ")", [.expr(lo), .expr(hi)])
    if case .call("abs", let args) = e[1], args.count == 1, case .variable = args[0] {
      // a ≤ |z| ≤ b with 0 ≤ a: z ∈ [−b, −a] ∪ [a, b].
      var ev = MathEvaluator()
      guard let a = ev.eval(lo)?.exactReal, a.doubleValue >= 0 else { return range }
      let mirrored = MathAnswerForm.tuple(
        open: hiClosed ? "[" : "(", close: loClosed ? "]" : ")", [.expr(.neg(hi)), .expr(.neg(lo))])
      return .union([mirrored, range])
    }
    return range
  }

  /// `x op c` as an interval (`-x op c` flips the operator and negates `c`).
  private static func bound(variable: String, negated: Bool, kind: Kind, value: MathExpr) -> MathAnswerForm {
    let k = negated ? flip(kind) : kind
    let c: MathExpr = negated ? .neg(value) : value
    let inf = MathAnswerForm.expr(.infinity)
    let negInf = MathAnswerForm.expr(.neg(.infinity))
    switch k {
    case .lt: return .tuple(open: "(", close: ")", [negInf, .expr(c)])
    case .le: return .tuple(open: "(", close: "]", [negInf, .expr(c)])
    case .gt: return .tuple(open: "(", close: ")", [.expr(c), inf])
    case .ge: return .tuple(open: "[", close: ")", [.expr(c), inf])
    case .ne:
      return .union([
        .tuple(open: "(", close: ")", [negInf, .expr(c)]), .tuple(open: "(", close: ")", [.expr(c), inf]),
      ])
    }
  }

  /// `c op x` is `x flip(op) c`.
  private static func flip(_ k: Kind) -> Kind {
    switch k {
    case .lt: return .gt
    case .le: return .ge
    case .gt: return .lt
    case .ge: return .le
    case .ne: return .ne
    }
  }

  private static func variable(_ e: MathExpr) -> (String, Bool)? {
    if case .variable(let v) = e { return (v, false) }
    if case .neg(.variable(let v)) = e { return (v, true) }
    return nil
  }

  /// Splits at top-level relation operators (outside brackets).
  private static func split(_ t: String) -> ([String], [Kind]) {
    let b = Array(t.utf8)
    var parts: [String] = []
    var kinds: [Kind] = []
    var depth = 0
    var start = 0
    var i = 0
    scan: while i < b.count {
      let c = b[i]
      if c == 40 || c == 91 || c == 123 { depth += 1 }
      if c == 41 || c == 93 || c == 125 { depth -= 1 }
      if depth == 0 {
        for (op, kind) in ops where b[i...].starts(with: Array(op.utf8)) {
          let end = i + op.utf8.count
          // `\le` must not be the start of `\left`, `\lemma`…
          if op.first == "\\", end < b.count, AnswerScanner.isLetter(b[end]) { continue }
          parts.append(String(decoding: b[start..<i], as: UTF8.self))
          kinds.append(kind)
          i = end
          start = end
          continue scan
        }
      }
      i += 1
    }
    parts.append(String(decoding: b[start..<b.count], as: UTF8.self))
    return (parts, kinds)
  }

  /// `\approx` steps are dropped when an `=` states the answer (`x = 1/3 \approx 0.33` → `x = 1/3`),
  /// else read as `=` (`x \approx 11` → `x = 11`).
  static func dropApproximations(_ t: String) -> String {
    guard t.contains("\\approx") else { return t }
    let parts = MathAnswerForm.splitTopLevel(t, separator: "\\approx")
    if parts.count > 1, MathAnswerForm.splitTopLevel(parts[0], separator: "=").count > 1 { return parts[0] }
    return parts.joined(separator: "=")
  }
}
