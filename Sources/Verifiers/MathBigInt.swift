import Foundation

/// Arbitrary-precision signed integer (sign + magnitude, little-endian base-2³² limbs), written for
/// the math grader so Verifiers needs no dependency. Only what exact answer comparison needs:
/// `+ − ×`, quotient/remainder, gcd, powers, decimal I/O, conversion to `Double`.
///
/// Example: `MathBigInt(decimal: "12345678901234567890")! * MathBigInt(10)` prints
/// `123456789012345678900`. Sizes are bounded by the callers (see `MathRational.maxBits`).
public struct MathBigInt: Sendable, Hashable, CustomStringConvertible {
  /// Magnitude limbs, least significant first, no trailing zero limbs (zero is `[]`).
  var mag: [UInt32]
  /// True for negative numbers; always false for zero.
  var negative: Bool

  init(mag: [UInt32], negative: Bool) {
    var m = mag
    while let last = m.last, last == 0 { m.removeLast() }
    self.mag = m
    self.negative = m.isEmpty ? false : negative
  }

  public init(_ value: Int) {
    let m = value.magnitude
    var limbs: [UInt32] = []
    if m != 0 { limbs.append(UInt32(truncatingIfNeeded: m)) }
    if m >> 32 != 0 { limbs.append(UInt32(truncatingIfNeeded: m >> 32)) }
    self.init(mag: limbs, negative: value < 0)
  }

  /// Parses an optionally signed run of ASCII digits; nil for anything else or more than `maxDigits`.
  public init?(decimal text: Substring, maxDigits: Int = 4000) {
    var s = text[...]
    var neg = false
    if let f = s.first, f == "-" || f == "+" {
      neg = f == "-"
      s = s.dropFirst()
    }
    guard !s.isEmpty, s.count <= maxDigits else { return nil }
    var result = MathBigInt(0)
    var chunk: UInt32 = 0
    var chunkLen = 0
    for ch in s.utf8 {
      guard ch >= 48, ch <= 57 else { return nil }
      chunk = chunk &* 10 &+ UInt32(ch &- 48)
      chunkLen += 1
      if chunkLen == 9 {
        result = result.mulAddSmall(1_000_000_000, chunk)
        chunk = 0
        chunkLen = 0
      }
    }
    if chunkLen > 0 {
      var p: UInt32 = 1
      for _ in 0..<chunkLen { p &*= 10 }
      result = result.mulAddSmall(p, chunk)
    }
    result.negative = neg && !result.mag.isEmpty
    self = result
  }

  public static let zero = MathBigInt(0)
  public static let one = MathBigInt(1)

  public var isZero: Bool { mag.isEmpty }
  public var signum: Int { mag.isEmpty ? 0 : (negative ? -1 : 1) }
  /// Number of significant bits of the magnitude.
  public var bitWidth: Int {
    guard let top = mag.last else { return 0 }
    return (mag.count - 1) * 32 + (32 - top.leadingZeroBitCount)
  }
  public var magnitude: MathBigInt { MathBigInt(mag: mag, negative: false) }
  public var isOne: Bool { !negative && mag.count == 1 && mag[0] == 1 }

  /// The value as an `Int` when it fits.
  public var intValue: Int? {
    guard mag.count <= 2 else { return nil }
    var m: UInt64 = 0
    for (k, limb) in mag.enumerated() { m |= UInt64(limb) << (32 * UInt64(k)) }
    if negative {
      guard m <= UInt64(Int.max) + 1 else { return nil }
      return m == UInt64(Int.max) + 1 ? Int.min : -Int(m)
    }
    guard m <= UInt64(Int.max) else { return nil }
    return Int(m)
  }

  /// Nearest `Double` (exact for up to 53 significant bits; ±inf when too large).
  public var doubleValue: Double {
    guard !mag.isEmpty else { return 0 }
    let bits = bitWidth
    if bits <= 64 {
      var m: UInt64 = 0
      for (k, limb) in mag.enumerated() { m |= UInt64(limb) << (32 * UInt64(k)) }
      let d = Double(m)
      return negative ? -d : d
    }
    // Keep the top 64 bits, then scale: good to a relative 2⁻⁵³.
    let shift = bits - 64
    let top = self.magnitude.shiftedRight(shift)
    var m: UInt64 = 0
    for (k, limb) in top.mag.enumerated() where k < 2 { m |= UInt64(limb) << (32 * UInt64(k)) }
    let d = Double(sign: negative ? .minus : .plus, exponent: shift, significand: Double(m))
    return d
  }

  public var description: String {
    guard !mag.isEmpty else { return "0" }
    var parts: [UInt32] = []
    var cur = self.mag
    while !cur.isEmpty {
      let (q, r) = MathBigInt.divSmall(cur, 1_000_000_000)
      parts.append(r)
      cur = q
    }
    var out = negative ? "-" : ""
    out += String(parts.last ?? 0)
    for p in parts.dropLast().reversed() {
      let s = String(p)
      out += String(repeating: "0", count: 9 - s.count) + s
    }
    return out
  }

  // MARK: limb helpers

  func mulAddSmall(_ m: UInt32, _ a: UInt32) -> MathBigInt {
    var out: [UInt32] = []
    out.reserveCapacity(mag.count + 1)
    var carry = UInt64(a)
    for limb in mag {
      let t = UInt64(limb) * UInt64(m) + carry
      out.append(UInt32(truncatingIfNeeded: t))
      carry = t >> 32
    }
    if carry != 0 { out.append(UInt32(truncatingIfNeeded: carry)) }
    return MathBigInt(mag: out, negative: negative)
  }

  /// Divides a magnitude by a single limb: (quotient, remainder).
  static func divSmall(_ a: [UInt32], _ d: UInt32) -> ([UInt32], UInt32) {
    var q = [UInt32](repeating: 0, count: a.count)
    var rem: UInt64 = 0
    for k in stride(from: a.count - 1, through: 0, by: -1) {
      let cur = (rem << 32) | UInt64(a[k])
      q[k] = UInt32(truncatingIfNeeded: cur / UInt64(d))
      rem = cur % UInt64(d)
    }
    while let last = q.last, last == 0 { q.removeLast() }
    return (q, UInt32(truncatingIfNeeded: rem))
  }

  func shiftedRight(_ n: Int) -> MathBigInt {
    let limbShift = n / 32
    let bitShift = n % 32
    guard limbShift < mag.count else { return .zero }
    var out = [UInt32](repeating: 0, count: mag.count - limbShift)
    for k in 0..<out.count {
      let lo = mag[k + limbShift] >> UInt32(bitShift)
      let hiIndex = k + limbShift + 1
      let hi: UInt32 =
        (bitShift == 0 || hiIndex >= mag.count) ? 0 : mag[hiIndex] << UInt32(32 - bitShift)
      out[k] = lo | hi
    }
    return MathBigInt(mag: out, negative: negative)
  }

  static func compareMag(_ a: [UInt32], _ b: [UInt32]) -> Int {
    if a.count != b.count { return a.count < b.count ? -1 : 1 }
    for k in stride(from: a.count - 1, through: 0, by: -1) where a[k] != b[k] {
      return a[k] < b[k] ? -1 : 1
    }
    return 0
  }

  static func addMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    let (long, short) = a.count >= b.count ? (a, b) : (b, a)
    var out = [UInt32](repeating: 0, count: long.count + 1)
    var carry: UInt64 = 0
    for k in 0..<long.count {
      let t = UInt64(long[k]) + (k < short.count ? UInt64(short[k]) : 0) + carry
      out[k] = UInt32(truncatingIfNeeded: t)
      carry = t >> 32
    }
    out[long.count] = UInt32(truncatingIfNeeded: carry)
    return out
  }

  /// a − b for |a| ≥ |b|.
  static func subMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    var out = [UInt32](repeating: 0, count: a.count)
    var borrow: Int64 = 0
    for k in 0..<a.count {
      var t = Int64(a[k]) - (k < b.count ? Int64(b[k]) : 0) - borrow
      borrow = 0
      if t < 0 {
        t += 1 << 32
        borrow = 1
      }
      out[k] = UInt32(truncatingIfNeeded: t)
    }
    return out
  }

  static func mulMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    guard !a.isEmpty, !b.isEmpty else { return [] }
    var out = [UInt32](repeating: 0, count: a.count + b.count)
    for i in 0..<a.count {
      var carry: UInt64 = 0
      let ai = UInt64(a[i])
      for j in 0..<b.count {
        let t = ai * UInt64(b[j]) + UInt64(out[i + j]) + carry
        out[i + j] = UInt32(truncatingIfNeeded: t)
        carry = t >> 32
      }
      out[i + b.count] = UInt32(truncatingIfNeeded: carry)
    }
    return out
  }
}
