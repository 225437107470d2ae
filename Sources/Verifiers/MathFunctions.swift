import Foundation

/// Named functions an answer may use. Exact where the result is rational (`\sqrt{9}`, `5!`,
/// `\binom{5}{2}`, `|−3|`, `\lfloor 7/2 \rfloor`), `Double` otherwise; real arguments only for
/// the transcendental ones (a complex argument makes the answer non-comparable → nil).
enum MathFunctions {
  static let names: Set<String> = [
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "ln", "log", "exp", "sqrt", "root", "abs", "factorial", "binom", "floor", "ceil",
  ]

  /// A sum or product with symbolic bounds cannot be evaluated; it is an uninterpreted function of
  /// its arguments' values at the test point: a deterministic pseudo-random value in [1, 2) hashed
  /// from the name and the arguments rounded to 10 significant digits. Equal arguments give equal
  /// values; different ones almost never do.
  static func opaque(_ name: String, _ v: [MathValue]) -> MathValue {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ x: UInt64) {
      h ^= x
      h = h &* 0x100_0000_01b3
    }
    for c in name.utf8 { mix(UInt64(c)) }
    for value in v {
      let (re, im) = value.complexDouble
      for d in [re, im] {
        let rounded = d == 0 || !d.isFinite ? d : Double(String(format: "%.9e", d)) ?? d
        mix(rounded.bitPattern)
      }
    }
    return .real(1 + Double(h >> 11) / Double(UInt64(1) << 53))
  }

  static func apply(_ name: String, _ v: [MathValue]) -> MathValue? {
    if name == "sum" || name == "prod" { return opaque(name, v) }
    switch (name, v.count) {
    case ("sqrt", 1): return MathValue.squareRoot(v[0])
    case ("root", 2):
      guard let k = v[0].exactReal, k.isInteger, let n = k.num.intValue, n >= 1 else { return nil }
      if let r = v[1].exactReal, let s = r.root(n) { return .real(s) }
      let (a, b) = v[1].complexDouble
      guard b == 0 else { return nil }
      if a < 0 && n % 2 == 1 { return .real(-Foundation.pow(-a, 1 / Double(n))) }
      return a >= 0 ? .real(Foundation.pow(a, 1 / Double(n))) : nil
    case ("abs", 1):
      if case .exact(let a, let b) = v[0], b.isZero { return .real(a.signum < 0 ? -a : a) }
      let (a, b) = v[0].complexDouble
      return .real((a * a + b * b).squareRoot())
    case ("factorial", 1):
      guard let r = v[0].exactReal, r.isInteger, let n = r.num.intValue, n >= 0, n <= 1000 else { return nil }
      var acc = MathBigInt.one
      if n > 1 { for k in 2...n { acc = acc * MathBigInt(k) } }
      return .real(MathRational(acc))
    case ("binom", 2):
      guard let rn = v[0].exactReal, let rk = v[1].exactReal, rn.isInteger, rk.isInteger,
        let n = rn.num.intValue, let k = rk.num.intValue, n >= 0, n <= 2000, k >= 0
      else { return nil }
      if k > n { return .real(.zero) }
      var acc = MathRational.one
      for j in 0..<min(k, n - k) {
        guard let t = acc * MathRational(n - j), let u = t / MathRational(j + 1) else { return nil }
        acc = u
      }
      return .real(acc)
    case ("floor", 1), ("ceil", 1):
      guard let r = v[0].exactReal, let q = r.num.quotientAndRemainder(dividingBy: r.den) else {
        let (a, b) = v[0].complexDouble
        guard b == 0 else { return nil }
        return .real(name == "floor" ? a.rounded(.down) : a.rounded(.up))
      }
      var n = q.quotient
      if !q.remainder.isZero {
        if name == "floor" && r.signum < 0 { n = n - .one }
        if name == "ceil" && r.signum > 0 { n = n + .one }
      }
      return .real(MathRational(n))
    case ("log", 2):
      guard let x = real(v[1]), let b = real(v[0]), x > 0, b > 0, b != 1 else { return nil }
      return .real(Foundation.log(x) / Foundation.log(b))
    case ("exp", 1):
      return MathValue.power(.real(M_E), v[0])
    default:
      guard v.count == 1, let x = real(v[0]) else { return nil }
      let y: Double
      switch name {
      case "sin": y = Foundation.sin(x)
      case "cos": y = Foundation.cos(x)
      case "tan": y = Foundation.tan(x)
      case "cot": y = 1 / Foundation.tan(x)
      case "sec": y = 1 / Foundation.cos(x)
      case "csc": y = 1 / Foundation.sin(x)
      case "arcsin": y = Foundation.asin(x)
      case "arccos": y = Foundation.acos(x)
      case "arctan": y = Foundation.atan(x)
      case "sinh": y = Foundation.sinh(x)
      case "cosh": y = Foundation.cosh(x)
      case "tanh": y = Foundation.tanh(x)
      case "ln", "log":
        guard x > 0 else { return nil }
        // `\log` without a base: natural log, as sympy reads it.
        y = Foundation.log(x)
      default: return nil
      }
      return y.isFinite ? .real(y) : nil
    }
  }

  private static func real(_ v: MathValue) -> Double? {
    let (a, b) = v.complexDouble
    return b == 0 && a.isFinite ? a : nil
  }
}
