import Foundation

/// Exact rational number `num/den` in lowest terms with `den > 0`, on `MathBigInt`.
/// Every operation returns nil instead of growing past `maxBits` bits, so a hostile answer such as
/// `2^{2^{2^{99}}}` falls back to floating point instead of exhausting memory.
///
/// Example: `MathRational(1, 3)! + MathRational(1, 6)!` is `1/2`.
public struct MathRational: Sendable, Hashable, CustomStringConvertible {
  public let num: MathBigInt
  public let den: MathBigInt

  /// Largest numerator/denominator size kept exact (bits).
  public static let maxBits = 16384

  init(uncheckedNum num: MathBigInt, den: MathBigInt) {
    self.num = num
    self.den = den
  }

  /// `n/d` reduced; nil when `d == 0` or the parts are too large.
  public init?(_ n: MathBigInt, _ d: MathBigInt) {
    guard !d.isZero, n.bitWidth <= Self.maxBits, d.bitWidth <= Self.maxBits else { return nil }
    if n.isZero {
      self.init(uncheckedNum: .zero, den: .one)
      return
    }
    let g = MathBigInt.gcd(n, d)
    var nn = n
    var dd = d
    if !g.isOne {
      guard let q1 = n.quotientAndRemainder(dividingBy: g), let q2 = d.quotientAndRemainder(dividingBy: g)
      else { return nil }
      nn = q1.quotient
      dd = q2.quotient
    }
    if dd.negative {
      nn = -nn
      dd = -dd
    }
    self.init(uncheckedNum: nn, den: dd)
  }

  public init?(_ n: Int, _ d: Int) { self.init(MathBigInt(n), MathBigInt(d)) }
  public init(_ n: Int) { self.init(uncheckedNum: MathBigInt(n), den: .one) }
  public init(_ n: MathBigInt) { self.init(uncheckedNum: n, den: .one) }

  /// Parses `123`, `-4.50`, `.5`, `1.2e-3` exactly; nil for anything else.
  public init?(decimalLiteral text: Substring) {
    var mantissa = text
    var exponent = 0
    if let eIdx = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      guard let e = Int(text[text.index(after: eIdx)...]), abs(e) <= 400 else { return nil }
      exponent = e
      mantissa = text[..<eIdx]
    }
    var digits = Substring(mantissa)
    var neg = false
    if let f = digits.first, f == "-" || f == "+" {
      neg = f == "-"
      digits = digits.dropFirst()
    }
    var intPart = digits
    var frac: Substring = ""
    if let dot = digits.firstIndex(of: ".") {
      intPart = digits[..<dot]
      frac = digits[digits.index(after: dot)...]
    }
    guard !(intPart.isEmpty && frac.isEmpty) else { return nil }
    let all = String(intPart) + String(frac)
    guard let n = MathBigInt(decimal: Substring(all), maxDigits: 2000) else { return nil }
    let scale = exponent - frac.count
    guard let p = MathBigInt(10).power(abs(scale), maxBits: Self.maxBits) else { return nil }
    let signed = neg ? -n : n
    if scale >= 0 {
      self.init(signed * p, .one)
    } else {
      self.init(signed, p)
    }
  }

  public static let zero = MathRational(0)
  public static let one = MathRational(1)

  public var isZero: Bool { num.isZero }
  public var isInteger: Bool { den.isOne }
  public var signum: Int { num.signum }

  public var doubleValue: Double {
    let a = num.doubleValue
    let b = den.doubleValue
    if a.isFinite && b.isFinite && b != 0 { return a / b }
    // Both huge: shift to a common scale first.
    let shift = max(num.bitWidth, den.bitWidth) - 900
    let n2 = num.shiftedRight(max(0, shift)).doubleValue
    let d2 = den.shiftedRight(max(0, shift)).doubleValue
    return d2 == 0 ? (n2 < 0 ? -.infinity : .infinity) : n2 / d2
  }

  public var description: String { den.isOne ? num.description : "\(num)/\(den)" }

  public static func + (a: MathRational, b: MathRational) -> MathRational? {
    if a.den == b.den { return MathRational(a.num + b.num, a.den) }
    return MathRational(a.num * b.den + b.num * a.den, a.den * b.den)
  }
  public static func - (a: MathRational, b: MathRational) -> MathRational? { a + (-b) }
  public static prefix func - (a: MathRational) -> MathRational {
    MathRational(uncheckedNum: -a.num, den: a.den)
  }
  public static func * (a: MathRational, b: MathRational) -> MathRational? {
    MathRational(a.num * b.num, a.den * b.den)
  }
  public static func / (a: MathRational, b: MathRational) -> MathRational? {
    guard !b.isZero else { return nil }
    return MathRational(a.num * b.den, a.den * b.num)
  }

  /// `self^e` for an integer exponent; nil for `0^negative` or an oversized result.
  public func power(_ e: Int) -> MathRational? {
    guard e != Int.min else { return nil }
    if e < 0 {
      guard !isZero, let p = power(-e) else { return nil }
      return MathRational(p.den, p.num)
    }
    guard let n = num.power(e, maxBits: Self.maxBits), let d = den.power(e, maxBits: Self.maxBits)
    else { return nil }
    return MathRational(uncheckedNum: n, den: d)
  }

  /// Exact `k`-th root when numerator and denominator are perfect powers (small values only).
  ///
  /// Example: `MathRational(8, 27)!.root(3)` is `2/3`; `MathRational(2).root(2)` is nil.
  public func root(_ k: Int) -> MathRational? {
    guard k >= 1, k <= 64 else { return nil }
    if k == 1 { return self }
    if signum < 0 {
      guard k % 2 == 1, let r = (-self).root(k) else { return nil }
      return -r
    }
    guard let n = Self.intRoot(num, k), let d = Self.intRoot(den, k) else { return nil }
    return MathRational(n, d)
  }

  static func intRoot(_ x: MathBigInt, _ k: Int) -> MathBigInt? {
    guard x.bitWidth <= 1000 else { return nil }
    if x.isZero || x.isOne { return x }
    let guess = (x.doubleValue).squareRoot() >= 0 ? Foundation.pow(x.doubleValue, 1.0 / Double(k)) : 0
    guard guess.isFinite, guess < 9e15 else { return nil }
    let g = Int(guess.rounded())
    for c in max(0, g - 1)...(g + 1) {
      if let p = MathBigInt(c).power(k, maxBits: 1100), p == x { return MathBigInt(c) }
    }
    return nil
  }
}
