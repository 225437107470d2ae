import Foundation

/// Arithmetic on `MathBigInt`. Division is Knuth's Algorithm D (TAOCP vol. 2, §4.3.1) on 32-bit
/// limbs with 64-bit intermediates; quotients truncate toward zero like Swift's `Int`.
extension MathBigInt: Comparable {
  public static func < (a: MathBigInt, b: MathBigInt) -> Bool {
    if a.negative != b.negative { return a.negative }
    let c = compareMag(a.mag, b.mag)
    return a.negative ? c > 0 : c < 0
  }

  public static prefix func - (a: MathBigInt) -> MathBigInt {
    MathBigInt(mag: a.mag, negative: !a.negative)
  }

  public static func + (a: MathBigInt, b: MathBigInt) -> MathBigInt {
    if a.negative == b.negative { return MathBigInt(mag: addMag(a.mag, b.mag), negative: a.negative) }
    let c = compareMag(a.mag, b.mag)
    if c == 0 { return .zero }
    if c > 0 { return MathBigInt(mag: subMag(a.mag, b.mag), negative: a.negative) }
    return MathBigInt(mag: subMag(b.mag, a.mag), negative: b.negative)
  }

  public static func - (a: MathBigInt, b: MathBigInt) -> MathBigInt { a + (-b) }

  public static func * (a: MathBigInt, b: MathBigInt) -> MathBigInt {
    MathBigInt(mag: mulMag(a.mag, b.mag), negative: a.negative != b.negative)
  }

  /// Truncating quotient and remainder (remainder has the sign of `self`); nil when dividing by 0.
  ///
  /// Example: `MathBigInt(-7).quotientAndRemainder(dividingBy: MathBigInt(2))` is `(-3, -1)`.
  public func quotientAndRemainder(dividingBy d: MathBigInt) -> (quotient: MathBigInt, remainder: MathBigInt)?
  {
    guard !d.isZero else { return nil }
    let (q, r) = MathBigInt.divModMag(mag, d.mag)
    return (MathBigInt(mag: q, negative: negative != d.negative), MathBigInt(mag: r, negative: negative))
  }

  static func divModMag(_ a: [UInt32], _ b: [UInt32]) -> ([UInt32], [UInt32]) {
    if compareMag(a, b) < 0 { return ([], a) }
    if b.count == 1 {
      let (q, r) = divSmall(a, b[0])
      return (q, r == 0 ? [] : [r])
    }
    // Normalise so the divisor's top limb has its high bit set.
    let s = UInt32(b[b.count - 1].leadingZeroBitCount)
    let v = shiftLeftLimbs(b, s, extra: false)
    var u = shiftLeftLimbs(a, s, extra: true)
    let n = v.count
    let m = a.count - n
    var q = [UInt32](repeating: 0, count: m + 1)
    let base: UInt64 = 1 << 32
    let vTop = UInt64(v[n - 1])
    let vNext = UInt64(v[n - 2])
    for j in stride(from: m, through: 0, by: -1) {
      let num = (UInt64(u[j + n]) << 32) | UInt64(u[j + n - 1])
      var qhat = num / vTop
      var rhat = num % vTop
      while qhat >= base || qhat * vNext > ((rhat << 32) | UInt64(u[j + n - 2])) {
        qhat -= 1
        rhat += vTop
        if rhat >= base { break }
      }
      // Multiply and subtract qhat·v from u[j ..< j+n+1].
      var borrow: Int64 = 0
      var carry: UInt64 = 0
      for i in 0..<n {
        let p = qhat * UInt64(v[i]) + carry
        carry = p >> 32
        let t = Int64(u[i + j]) - Int64(p & 0xFFFF_FFFF) - borrow
        u[i + j] = UInt32(truncatingIfNeeded: t)
        borrow = t < 0 ? 1 : 0
      }
      let t = Int64(u[j + n]) - Int64(carry) - borrow
      u[j + n] = UInt32(truncatingIfNeeded: t)
      if t < 0 {
        // qhat was one too large: add v back.
        qhat -= 1
        var c: UInt64 = 0
        for i in 0..<n {
          let sum = UInt64(u[i + j]) + UInt64(v[i]) + c
          u[i + j] = UInt32(truncatingIfNeeded: sum)
          c = sum >> 32
        }
        u[j + n] = UInt32(truncatingIfNeeded: UInt64(u[j + n]) + c)
      }
      q[j] = UInt32(truncatingIfNeeded: qhat)
    }
    // Un-normalise the remainder.
    var r = [UInt32](repeating: 0, count: n)
    for i in 0..<n {
      let lo = u[i] >> s
      let hi: UInt32 = s == 0 ? 0 : u[i + 1] << (32 - s)
      r[i] = lo | hi
    }
    while let last = q.last, last == 0 { q.removeLast() }
    while let last = r.last, last == 0 { r.removeLast() }
    return (q, r)
  }

  static func shiftLeftLimbs(_ a: [UInt32], _ s: UInt32, extra: Bool) -> [UInt32] {
    var out = [UInt32](repeating: 0, count: a.count + (extra ? 1 : 0))
    var carry: UInt32 = 0
    for i in 0..<a.count {
      out[i] = (a[i] << s) | carry
      carry = s == 0 ? 0 : a[i] >> (32 - s)
    }
    if extra { out[a.count] = carry }
    return out
  }

  /// Greatest common divisor (non-negative). Example: `gcd(12, -18) == 6`.
  public static func gcd(_ a: MathBigInt, _ b: MathBigInt) -> MathBigInt {
    var x = a.mag
    var y = b.mag
    while !y.isEmpty {
      let (_, r) = divModMag(x, y)
      x = y
      y = r
    }
    return MathBigInt(mag: x, negative: false)
  }

  /// `self^e` for `e ≥ 0`, or nil when the result would exceed `maxBits` bits.
  public func power(_ e: Int, maxBits: Int) -> MathBigInt? {
    guard e >= 0 else { return nil }
    if e == 0 { return .one }
    if isZero || (mag.count == 1 && mag[0] == 1) {
      return (negative && e % 2 == 1) ? self : self.magnitude
    }
    let (est, overflow) = (bitWidth - 1).multipliedReportingOverflow(by: e)
    guard !overflow, est <= maxBits else { return nil }
    var result = MathBigInt.one
    var base = self
    var k = e
    while k > 0 {
      if k & 1 == 1 { result = result * base }
      k >>= 1
      if k > 0 { base = base * base }
    }
    return result
  }
}
