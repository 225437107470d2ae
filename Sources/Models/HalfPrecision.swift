/// Bit-exact conversions between `Float` and the two 16-bit formats found in checkpoints, written by
/// hand so they behave identically on every platform (Swift's `Float16` is missing on some targets and
/// there is no standard `BFloat16`).
///
/// - IEEE 754 binary16 ("F16"): 1 sign, 5 exponent (bias 15), 10 mantissa bits.
/// - bfloat16 ("BF16"): the top 16 bits of a binary32 — 1 sign, 8 exponent, 7 mantissa bits.
///
/// Float → 16-bit conversions round to nearest, ties to even (as IEEE 754, numpy and PyTorch do),
/// produce subnormals and signed zeros, saturate to ±infinity on overflow, and keep NaNs NaN.
public enum HalfPrecision {
  /// binary16 bits → Float (exact; every binary16 value is representable in binary32).
  ///
  /// Example: `0x3C00` → 1.0, `0xC000` → -2.0, `0x0001` → 2⁻²⁴ (smallest subnormal), `0x7C00` → +inf.
  @inline(__always)
  public static func float(fromF16 bits: UInt16) -> Float {
    f16Table[Int(bits)]
  }

  /// The decoding table for all 65 536 binary16 patterns (256 KiB, built once on first use).
  /// A table lookup is several times faster than the bit manipulation in the dequantisation loops.
  static let f16Table: [Float] = (0...0xFFFF).map { decodeF16(UInt16($0)) }

  /// The arithmetic behind `f16Table`.
  static func decodeF16(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x3FF)
    if exponent == 0x1F {
      // Inf (mantissa 0) or NaN; the payload is shifted into the top of the binary32 mantissa.
      return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    if exponent == 0 {
      // Zero or subnormal: value = mantissa × 2⁻²⁴, exact in binary32.
      let magnitude = Float(mantissa) * 0x1p-24
      return sign == 0 ? magnitude : -magnitude
    }
    return Float(bitPattern: sign | (UInt32(exponent - 15 + 127) << 23) | (mantissa << 13))
  }

  /// Float → binary16 bits, round to nearest even.
  ///
  /// Example: 1.0 → `0x3C00`; 65520 (halfway between 65504 and 65536) → `0x7C00` (+inf, ties to even);
  /// 1 + 2⁻¹¹ (halfway between 1 and 1 + 2⁻¹⁰) → `0x3C00`; 2⁻²⁵ → `0x0000`; 3 × 2⁻²⁵ → `0x0002`.
  public static func f16Bits(from value: Float) -> UInt16 {
    let bits = value.bitPattern
    let sign = UInt16((bits >> 16) & 0x8000)
    let exponent = Int((bits >> 23) & 0xFF)
    let mantissa = bits & 0x7F_FFFF
    if exponent == 0xFF {
      // Keep NaN quiet and non-zero whatever its payload; infinity stays infinity.
      return sign | 0x7C00 | (mantissa != 0 ? 0x0200 | UInt16(truncatingIfNeeded: mantissa >> 13) : 0)
    }
    let halfExponent = exponent - 127 + 15
    if halfExponent >= 0x1F { return sign | 0x7C00 }
    if halfExponent <= 0 {
      // Result is subnormal (or zero): value / 2⁻²⁴ = (1.mantissa) × 2^(halfExponent + 9), i.e. the
      // 24-bit significand shifted right by 14 − halfExponent. Below 2⁻²⁵ everything rounds to zero.
      if halfExponent < -10 { return sign }
      let significand = mantissa | 0x80_0000
      let shift = UInt32(14 - halfExponent)
      var half = significand >> shift
      let remainder = significand & ((1 << shift) - 1)
      let halfway = UInt32(1) << (shift - 1)
      if remainder > halfway || (remainder == halfway && half & 1 == 1) { half += 1 }
      return sign | UInt16(half)  // a carry into bit 10 correctly yields the smallest normal
    }
    var half = (UInt32(halfExponent) << 10) | (mantissa >> 13)
    let remainder = mantissa & 0x1FFF
    if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }
    // A carry out of the mantissa bumps the exponent; past the largest finite value it gives inf.
    return sign | UInt16(half)
  }

  /// bfloat16 bits → Float (exact: the bits become the high half of a binary32).
  ///
  /// Example: `0x3F80` → 1.0, `0x4049` → 3.140625.
  @inline(__always)
  public static func float(fromBF16 bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
  }

  /// Float → bfloat16 bits, round to nearest even; NaN stays a (quiet) NaN.
  ///
  /// Example: π (`0x40490FDB`) → `0x4049`; 1 + 2⁻⁸ (`0x3F808000`, a tie) → `0x3F80`;
  /// 1 + 3 × 2⁻⁸ (`0x3F818000`, a tie) → `0x3F82`.
  @inline(__always)
  public static func bf16Bits(from value: Float) -> UInt16 {
    let bits = value.bitPattern
    if value.isNaN { return UInt16(bits >> 16) | 0x0040 }
    let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
    return UInt16(rounded >> 16)
  }
}
