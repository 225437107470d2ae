import Foundation

/// Structural comparison of two parsed answers (reference first). Returns the deciding rule name,
/// or nil when they differ. Bounded: at most `MathAnswerForm.maxItems` items per level, and a
/// shared work budget across all expression comparisons of one call.
struct MathFormComparator {
  let options: MathGraderOptions
  var budget = 4_000

  init(options: MathGraderOptions) { self.options = options }

  mutating func compare(_ r: MathAnswerForm, _ a: MathAnswerForm) -> String? {
    budget -= 1
    guard budget > 0 else { return nil }
    switch (r, a) {
    case (.expr(let x), .expr(let y)):
      return compareExprs(x, y)
    case (.percent(let x), .percent(let y)):
      return compareExprs(x, y) != nil ? "percent" : nil
    case (.percent(let x), .expr(let y)), (.expr(let y), .percent(let x)):
      guard options.percentEquivalence else { return nil }
      if compareExprs(x, y) != nil || compareExprs(.div(x, .number(MathRational(100))), y) != nil {
        return "percent"
      }
      return nil
    case (.equation(let l1, let r1), .equation(let l2, let r2)):
      if case .variable(let v1) = l1, case .variable(let v2) = l2, v1 == v2, compareExprs(r1, r2) != nil {
        return "equation"
      }
      return proportionalEquations(.sub(l1, r1), .sub(l2, r2)) ? "equation" : nil
    case (.equation(let l, let rhs), .expr(let y)), (.expr(let y), .equation(let l, let rhs)):
      if case .variable = l, compareExprs(rhs, y) != nil { return "equation" }
      return nil
    case (.equation(let l, let rhs), let other), (let other, .equation(let l, let rhs)):
      // `x = (1, 2)`-style: a variable bound to a structure.
      guard case .variable = l else { return nil }
      if case .expr = other { return nil }
      return compare(.expr(rhs), other) != nil ? "equation" : nil
    case (.tuple(let o1, let c1, let xs), .tuple(let o2, let c2, let ys)):
      guard o1 == o2, c1 == c2, ordered(xs, ys) else { return nil }
      return (o1 == "(" && c1 == ")") ? "tuple" : "interval"
    case (.tuple(let o, let c, let xs), .list(let ys)), (.list(let ys), .tuple(let o, let c, let xs)):
      // A point written without its parentheses.
      guard o == "(", c == ")", ordered(xs, ys) else { return nil }
      return "tuple"
    case (.set(let xs), .set(let ys)), (.set(let xs), .list(let ys)), (.list(let xs), .set(let ys)),
      (.list(let xs), .list(let ys)):
      return unordered(xs, ys) ? "set" : nil
    case (.union(let xs), .union(let ys)):
      return unordered(xs, ys) ? "interval" : nil
    case (.matrix(let m1), .matrix(let m2)):
      guard m1.count == m2.count, zip(m1, m2).allSatisfy({ $0.count == $1.count }) else { return nil }
      return ordered(m1.flatMap { $0 }, m2.flatMap { $0 }) ? "matrix" : nil
    case (.matrix(let m), .tuple("(", ")", let ys)), (.tuple("(", ")", let ys), .matrix(let m)):
      // A vector written as a tuple.
      let flat = m.flatMap { $0 }
      guard m.count == 1 || m.allSatisfy({ $0.count == 1 }), ordered(flat, ys) else { return nil }
      return "matrix"
    case (.labelled(let l1, let x), .labelled(let l2, let y)):
      return l1 == l2 ? compare(x, y) : nil
    case (.labelled(_, let x), let other), (let other, .labelled(_, let x)):
      return compare(x, other)
    case (.text(let s), .text(let t)):
      return s == t ? "normalized-string" : nil
    default:
      return nil
    }
  }

  private mutating func ordered(_ xs: [MathAnswerForm], _ ys: [MathAnswerForm]) -> Bool {
    guard xs.count == ys.count else { return false }
    for (x, y) in zip(xs, ys) where compare(x, y) == nil { return false }
    return true
  }

  /// Multiset equality by greedy matching (elements are compared with `compare`). A collection of
  /// points (every element a tuple) is a set of solutions: a point listed twice counts once.
  /// Scalars keep their multiplicity (a double root listed twice is a different answer).
  private mutating func unordered(_ xs0: [MathAnswerForm], _ ys0: [MathAnswerForm]) -> Bool {
    let xs = dedupPoints(xs0)
    let ys = dedupPoints(ys0)
    guard xs.count == ys.count else { return false }
    var used = [Bool](repeating: false, count: ys.count)
    for x in xs {
      var hit = false
      for (j, y) in ys.enumerated() where !used[j] {
        if compare(x, y) != nil {
          used[j] = true
          hit = true
          break
        }
      }
      if !hit { return false }
    }
    return true
  }

  /// Compares two expressions: ±∞ structurally, constants exactly or numerically, expressions with
  /// free variables at seeded random rational points (exact where the values stay rational).
  mutating func compareExprs(_ x: MathExpr, _ y: MathExpr) -> String? {
    if x == y {
      if case .number = x { return "rational" }
      return "structural"
    }
    if x.infinitySign != nil || y.infinitySign != nil {
      return x.infinitySign == y.infinitySign ? "infinity" : nil
    }
    let vars = Array(Set(x.variables).union(y.variables)).sorted()
    if vars.isEmpty {
      var ev = MathEvaluator()
      guard let vx = ev.eval(x), let vy = ev.eval(y) else { return nil }
      let (eq, exact) = MathValue.equal(vx, vy, tol: options.relativeTolerance)
      return eq ? (exact ? "rational" : "numeric") : nil
    }
    guard vars.count <= 12 else { return nil }
    var rng = MathSplitMix64(state: options.seed)
    var valid = 0
    for _ in 0..<(options.symbolicPoints * 2) where valid < options.symbolicPoints {
      let env = randomPoint(vars, &rng)
      var ev = MathEvaluator(env: env)
      guard let vx = ev.eval(x), let vy = ev.eval(y) else { continue }
      // A point where one side is real and the other is not lies outside a real branch that both
      // share (`x^{2/3}` vs `\sqrt[3]{x}^2` at x < 0): skipped, and two valid points are still needed.
      if isReal(vx) != isReal(vy) { continue }
      if !MathValue.equal(vx, vy, tol: options.relativeTolerance).equal { return nil }
      valid += 1
    }
    return valid >= 2 ? "symbolic" : nil
  }

  private mutating func dedupPoints(_ xs: [MathAnswerForm]) -> [MathAnswerForm] {
    guard xs.count > 1, xs.allSatisfy({ if case .tuple = $0 { return true } else { return false } }) else {
      return xs
    }
    var out: [MathAnswerForm] = []
    for x in xs where !out.contains(where: { compare($0, x) != nil }) { out.append(x) }
    return out
  }

  private func isReal(_ v: MathValue) -> Bool {
    let (re, im) = v.complexDouble
    return abs(im) <= 1e-12 * max(1, abs(re))
  }

  /// `f = 0` and `g = 0` describe the same equation when f = c·g for a constant c ≠ 0.
  private mutating func proportionalEquations(_ f: MathExpr, _ g: MathExpr) -> Bool {
    let vars = Array(Set(f.variables).union(g.variables)).sorted()
    guard !vars.isEmpty, vars.count <= 12 else { return false }
    var rng = MathSplitMix64(state: options.seed ^ 0xE0)
    var ratio: MathValue? = nil
    var valid = 0
    for _ in 0..<(options.symbolicPoints * 2) where valid < options.symbolicPoints {
      var ev = MathEvaluator(env: randomPoint(vars, &rng))
      guard let vf = ev.eval(f), let vg = ev.eval(g) else { continue }
      if vg.isZero || vf.isZero {
        if vg.isZero != vf.isZero { return false }
        continue
      }
      guard let q = vf / vg else { continue }
      if let r = ratio {
        if !MathValue.equal(r, q, tol: options.relativeTolerance).equal { return false }
      } else {
        ratio = q
      }
      valid += 1
    }
    return valid >= 2
  }

  /// Random non-integer rationals n/d with n ∈ ±[1, 97], d ∈ {2,3,5,7,11,13}: generic enough that
  /// distinct low-degree rational functions almost never agree at all points.
  private func randomPoint(_ vars: [String], _ rng: inout MathSplitMix64) -> [String: MathValue] {
    let dens = [2, 3, 5, 7, 11, 13]
    var env: [String: MathValue] = [:]
    for v in vars {
      let r = rng.next()
      let n = Int(r % 97) + 1
      let d = dens[Int((r >> 8) % 6)]
      let sign = (r >> 16) & 1 == 0 ? 1 : -1
      env[v] = .real(MathRational(sign * n, d) ?? .one)
    }
    return env
  }
}
