import Foundation

/// Matrix expressions in an answer, evaluated cell by cell into one matrix: scalar multiples
/// (`-\begin{pmatrix}1&0\\0&1\end{pmatrix}`, `2\begin{pmatrix}…\end{pmatrix}`), sums and
/// differences of terms, and products of adjacent matrices (`AB`, `A \cdot B`). A matrix wrapped in
/// brackets (`[\begin{pmatrix}…\end{pmatrix}]`, from `\left[\begin{array}…\right]`) is unwrapped.
/// Cells stay `MathExpr` trees, so comparison is exact where the entries are rational.
enum MathMatrixArithmetic {
  static let begin = "\\begin{pmatrix}"
  static let end = "\\end{pmatrix}"
  static let maxSize = 8
  static let maxMatrices = 6

  /// The matrix an expression with at least one matrix evaluates to; nil when `t` is a single
  /// plain matrix (parsed by `MathAnswerForm`), has no matrix, or is not a matrix expression.
  static func evaluate(_ t: String) -> MathAnswerForm? {
    guard t.contains(begin) else { return nil }
    var s = t
    if let f = s.first, let l = s.last, (f == "[" && l == "]") || (f == "(" && l == ")") {
      let inner = String(s.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
      if inner.hasPrefix(begin), inner.hasSuffix(end) { s = inner }
    }
    // Locate the matrices (no nesting) and the text between them.
    var mats: [[[MathExpr]]] = []
    var gaps: [String] = []
    var rest = Substring(s)
    while let r = rest.range(of: begin) {
      guard mats.count < maxMatrices, let e = rest[r.upperBound...].range(of: end) else { return nil }
      gaps.append(String(rest[..<r.lowerBound]).trimmingCharacters(in: .whitespaces))
      guard let m = cells(String(rest[r.upperBound..<e.lowerBound])) else { return nil }
      mats.append(m)
      rest = rest[e.upperBound...]
    }
    guard rest.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
    if mats.count == 1 && gaps[0].isEmpty && s == t { return nil }
    // Group adjacent matrices into terms; a gap starting with + or - starts a new term.
    var total: [[MathExpr]]? = nil
    var term: [[MathExpr]]? = nil
    var coef: MathExpr = .number(.one)
    for (k, m) in mats.enumerated() {
      let gap = stripProduct(gaps[k])
      if k > 0 && gap.isEmpty {
        guard let t = term, let p = product(t, m) else { return nil }
        term = p
        continue
      }
      if let t = term {
        guard let sum = add(total, scale(t, coef)) else { return nil }
        total = sum
      }
      guard let c = coefficient(gap, first: k == 0) else { return nil }
      coef = c
      term = m
    }
    guard let t = term, let result = add(total, scale(t, coef)) else { return nil }
    return .matrix(result.map { $0.map { MathAnswerForm.expr($0) } })
  }

  private static func cells(_ inner: String) -> [[MathExpr]]? {
    let rows = MathAnswerForm.splitTopLevel(inner, separator: "\\\\").filter {
      !$0.trimmingCharacters(in: .whitespaces).isEmpty
    }
    guard !rows.isEmpty, rows.count <= maxSize else { return nil }
    var out: [[MathExpr]] = []
    for row in rows {
      let items = MathAnswerForm.splitTopLevel(row, separator: "&")
      guard items.count <= maxSize else { return nil }
      var r: [MathExpr] = []
      for item in items {
        guard let e = MathExprParser.parse(item) else { return nil }
        r.append(e)
      }
      out.append(r)
    }
    guard out.allSatisfy({ $0.count == out[0].count }) else { return nil }
    return out
  }

  /// A gap that only joins two factors (`\cdot`, `\times` or nothing) becomes "".
  private static func stripProduct(_ gap: String) -> String {
    var g = gap
    for op in ["\\cdot", "\\times"] where g.hasSuffix(op) {
      g = String(g.dropLast(op.count)).trimmingCharacters(in: .whitespaces)
    }
    return g
  }

  /// The scalar before a term: "" (first term) is 1, `-` is −1, `+ 2`, `-\frac{1}{2}`…
  private static func coefficient(_ gap: String, first: Bool) -> MathExpr? {
    var g = gap
    var negative = false
    if let f = g.first, f == "+" || f == "-" {
      negative = f == "-"
      g = String(g.dropFirst()).trimmingCharacters(in: .whitespaces)
    } else if !first {
      return nil
    }
    let value: MathExpr
    if g.isEmpty {
      value = .number(.one)
    } else if let e = MathExprParser.parse(g) {
      value = e
    } else {
      return nil
    }
    return negative ? .neg(value) : value
  }

  private static func scale(_ m: [[MathExpr]], _ c: MathExpr) -> [[MathExpr]] {
    if case .number(let one) = c, one == .one { return m }
    return m.map { $0.map { .mul(c, $0) } }
  }

  private static func add(_ a: [[MathExpr]]?, _ b: [[MathExpr]]) -> [[MathExpr]]? {
    guard let a else { return b }
    guard a.count == b.count, zip(a, b).allSatisfy({ $0.count == $1.count }) else { return nil }
    return zip(a, b).map { zip($0, $1).map { .add($0, $1) } }
  }

  private static func product(_ a: [[MathExpr]], _ b: [[MathExpr]]) -> [[MathExpr]]? {
    guard let inner = a.first?.count, inner == b.count, let cols = b.first?.count else { return nil }
    return a.map { row in
      (0..<cols).map { j in
        var acc: MathExpr = .mul(row[0], b[0][j])
        for k in 1..<inner { acc = .add(acc, .mul(row[k], b[k][j])) }
        return acc
      }
    }
  }
}
