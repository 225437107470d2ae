import Foundation

/// Expression tree of one mathematical answer, built by `MathExprParser` from normalised LaTeX.
///
/// Example: `2\sqrt{3}x` is `.mul(.mul(.number(2), .call("sqrt", [.number(3)])), .variable("x"))`.
indirect enum MathExpr: Sendable, Equatable {
  case number(MathRational)
  /// `\pi`, `e`, `i`.
  case constant(String)
  /// `\infty` (signs come from `.neg`).
  case infinity
  case variable(String)
  case add(MathExpr, MathExpr)
  case sub(MathExpr, MathExpr)
  case mul(MathExpr, MathExpr)
  case div(MathExpr, MathExpr)
  case pow(MathExpr, MathExpr)
  case neg(MathExpr)
  /// Named function: sqrt, root (index, radicand), sin…, ln, log (base, x), abs, factorial, binom…
  case call(String, [MathExpr])

  /// Free variable names, sorted (bounded walk).
  var variables: [String] {
    var out = Set<String>()
    collectVariables(into: &out, depth: 0)
    return out.sorted()
  }

  private func collectVariables(into out: inout Set<String>, depth: Int) {
    guard depth < 400 else { return }
    switch self {
    case .variable(let v): out.insert(v)
    case .number, .constant, .infinity: break
    case .add(let a, let b), .sub(let a, let b), .mul(let a, let b), .div(let a, let b), .pow(let a, let b):
      a.collectVariables(into: &out, depth: depth + 1)
      b.collectVariables(into: &out, depth: depth + 1)
    case .neg(let a): a.collectVariables(into: &out, depth: depth + 1)
    case .call(_, let args): for a in args { a.collectVariables(into: &out, depth: depth + 1) }
    }
  }

  /// +1 / −1 when the expression is (±)`\infty`, else nil.
  var infinitySign: Int? {
    switch self {
    case .infinity: return 1
    case .neg(let a): return a.infinitySign.map { -$0 }
    default: return nil
    }
  }
}

/// Evaluates a `MathExpr` with an operation budget so no input can take unbounded time.
struct MathEvaluator {
  var env: [String: MathValue]
  var budget: Int = 20_000

  init(env: [String: MathValue] = [:]) { self.env = env }

  mutating func eval(_ e: MathExpr) -> MathValue? {
    budget -= 1
    guard budget > 0 else { return nil }
    switch e {
    case .number(let r): return .real(r)
    case .constant(let c):
      switch c {
      case "pi": return .real(Double.pi)
      case "e": return .real(M_E)
      case "i": return .exact(.zero, .one)
      default: return nil
      }
    case .infinity: return nil
    case .variable(let v): return env[v]
    case .add(let a, let b):
      guard let x = eval(a), let y = eval(b) else { return nil }
      return x + y
    case .sub(let a, let b):
      guard let x = eval(a), let y = eval(b) else { return nil }
      return x + (-y)
    case .mul(let a, let b):
      guard let x = eval(a), let y = eval(b) else { return nil }
      return x * y
    case .div(let a, let b):
      guard let x = eval(a), let y = eval(b) else { return nil }
      return x / y
    case .pow(let a, let b):
      guard let x = eval(a), let y = eval(b) else { return nil }
      return MathValue.power(x, y)
    case .neg(let a): return eval(a).map { -$0 }
    case .call(let name, let args):
      var vals: [MathValue] = []
      for a in args {
        guard let v = eval(a) else { return nil }
        vals.append(v)
      }
      return MathFunctions.apply(name, vals)
    }
  }
}
