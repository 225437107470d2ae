import Foundation

/// A number produced by evaluating an answer: exact Gaussian rational `re + im·i` when every step
/// stayed rational, otherwise a complex `Double` pair. Exactness is what lets `0.33` and `1/3`
/// differ while `\frac{2}{4}` and `0.5` agree with no tolerance at all.
///
/// Example: `(1 + 2i)·(1 − 2i)` evaluates to `.exact(5, 0)`; `\sqrt{2}` to `.approx(1.41421…, 0)`.
enum MathValue: Sendable {
  case exact(MathRational, MathRational)
  case approx(Double, Double)

  static func real(_ r: MathRational) -> MathValue { .exact(r, .zero) }
  static func real(_ d: Double) -> MathValue { .approx(d, 0) }

  var isExact: Bool {
    if case .exact = self { return true }
    return false
  }

  var complexDouble: (Double, Double) {
    switch self {
    case .exact(let a, let b): return (a.doubleValue, b.doubleValue)
    case .approx(let a, let b): return (a, b)
    }
  }

  /// Real part as exact rational when the value is an exact real.
  var exactReal: MathRational? {
    if case .exact(let a, let b) = self, b.isZero { return a }
    return nil
  }

  var isZero: Bool {
    switch self {
    case .exact(let a, let b): return a.isZero && b.isZero
    case .approx(let a, let b): return a == 0 && b == 0
    }
  }

  static func + (x: MathValue, y: MathValue) -> MathValue? {
    if case .exact(let a, let b) = x, case .exact(let c, let d) = y, let re = a + c, let im = b + d {
      return .exact(re, im)
    }
    let (a, b) = x.complexDouble
    let (c, d) = y.complexDouble
    return .approx(a + c, b + d)
  }

  static prefix func - (x: MathValue) -> MathValue {
    switch x {
    case .exact(let a, let b): return .exact(-a, -b)
    case .approx(let a, let b): return .approx(-a, -b)
    }
  }

  static func * (x: MathValue, y: MathValue) -> MathValue? {
    if case .exact(let a, let b) = x, case .exact(let c, let d) = y {
      if b.isZero && d.isZero, let re = a * c { return .exact(re, .zero) }
      if let ac = a * c, let bd = b * d, let ad = a * d, let bc = b * c, let re = ac - bd, let im = ad + bc {
        return .exact(re, im)
      }
    }
    let (a, b) = x.complexDouble
    let (c, d) = y.complexDouble
    if b == 0 && d == 0 { return .approx(a * c, 0) }
    return .approx(a * c - b * d, a * d + b * c)
  }

  static func / (x: MathValue, y: MathValue) -> MathValue? {
    if y.isZero { return nil }
    if case .exact(let a, let b) = x, case .exact(let c, let d) = y {
      if b.isZero && d.isZero, let re = a / c { return .exact(re, .zero) }
      // (a+bi)/(c+di) = ((ac+bd) + (bc−ad)i) / (c²+d²)
      if let cc = c * c, let dd = d * d, let n = cc + dd, let ac = a * c, let bd = b * d,
        let bc = b * c, let ad = a * d, let reN = ac + bd, let imN = bc - ad,
        let re = reN / n, let im = imN / n
      {
        return .exact(re, im)
      }
    }
    let (a, b) = x.complexDouble
    let (c, d) = y.complexDouble
    if b == 0 && d == 0 { return .approx(a / c, 0) }
    let n = c * c + d * d
    return .approx((a * c + b * d) / n, (b * c - a * d) / n)
  }

  /// Integer powers stay exact (within size caps); rational powers of positive rationals are exact
  /// when the root is (`8^{2/3} = 4`); everything else goes through `exp(y·log x)`.
  static func power(_ x: MathValue, _ y: MathValue) -> MathValue? {
    if let e = y.exactReal, case .exact(let a, let b) = x {
      if e.isInteger, let k = e.num.intValue, abs(k) <= 100_000 {
        if b.isZero, let r = a.power(k) { return .exact(r, .zero) }
        if !b.isZero, abs(k) <= 64 { return exactComplexPower(x, k) }
      } else if b.isZero, a.signum >= 0, let q = e.den.intValue, let p = e.num.intValue, abs(p) <= 10_000,
        let root = a.root(q), let r = root.power(p)
      {
        return .exact(r, .zero)
      }
    }
    let (a, b) = x.complexDouble
    let (c, d) = y.complexDouble
    if b == 0 && d == 0 && (a >= 0 || c == c.rounded()) {
      return .approx(Foundation.pow(a, c), 0)
    }
    if a == 0 && b == 0 { return c > 0 ? .approx(0, 0) : nil }
    // Principal branch: exp((c+di)·log(a+bi)).
    let logR = Foundation.log((a * a + b * b).squareRoot())
    let theta = Foundation.atan2(b, a)
    let re = c * logR - d * theta
    let im = c * theta + d * logR
    let m = Foundation.exp(re)
    return .approx(m * Foundation.cos(im), m * Foundation.sin(im))
  }

  private static func exactComplexPower(_ x: MathValue, _ k: Int) -> MathValue? {
    var result = MathValue.exact(.one, .zero)
    for _ in 0..<abs(k) {
      guard let r = result * x else { return nil }
      result = r
    }
    return k < 0 ? (MathValue.exact(.one, .zero) / result) : result
  }

  /// Principal square root, exact for perfect squares (also of negatives: `\sqrt{-4} = 2i`).
  static func squareRoot(_ x: MathValue) -> MathValue? {
    if let r = x.exactReal {
      if r.signum >= 0, let s = r.root(2) { return .exact(s, .zero) }
      if r.signum < 0, let s = (-r).root(2) { return .exact(.zero, s) }
    }
    return power(x, .exact(MathRational(uncheckedNum: .one, den: MathBigInt(2)), .zero))
  }

  /// Equality: exact when both are exact, else relative tolerance `tol` (absolute near zero).
  static func equal(_ x: MathValue, _ y: MathValue, tol: Double) -> (equal: Bool, exact: Bool) {
    if case .exact(let a, let b) = x, case .exact(let c, let d) = y {
      return (a == c && b == d, true)
    }
    let (a, b) = x.complexDouble
    let (c, d) = y.complexDouble
    return (close(a, c, tol) && close(b, d, tol), false)
  }

  static func close(_ a: Double, _ b: Double, _ tol: Double) -> Bool {
    if a.isNaN || b.isNaN { return false }
    // Overflowed magnitudes are not comparable (∞ as an answer is handled structurally).
    if a.isInfinite || b.isInfinite { return false }
    let scale = max(abs(a), abs(b))
    return abs(a - b) <= max(tol * scale, 1e-12)
  }
}
