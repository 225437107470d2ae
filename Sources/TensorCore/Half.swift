/// IEEE 754 binary16 conversions for the quantized kernels (ggml stores block scales as F16 and
/// llama.cpp's default KV cache is F16). Written by hand rather than with `Float16`, which is
/// missing on some targets; `Models.HalfPrecision` is the checkpoint-facing twin of this.
public enum Half {
  /// binary16 bits → Float (exact).
  ///
  /// Example: `0x3C00` → 1.0, `0xC000` → -2.0, `0x0001` → 2⁻²⁴.
  @inline(__always)
  public static func float(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x3FF)
    if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
    if exponent == 0 {
      let magnitude = Float(mantissa) * 0x1p-24  // zero or subnormal, exact
      return sign == 0 ? magnitude : -magnitude
    }
    return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
  }

  /// Float → binary16 bits, round to nearest, ties to even; overflow saturates to ±inf.
  ///
  /// Example: 1.0 → `0x3C00`; 1 + 2⁻¹¹ (halfway between 1 and 1 + 2⁻¹⁰) → `0x3C00` (even).
  @inline(__always)
  public static func bits(_ value: Float) -> UInt16 {
    let x = value.bitPattern
    let sign = UInt16(truncatingIfNeeded: (x >> 16) & 0x8000)
    let exponent = Int((x >> 23) & 0xFF)
    let mantissa = x & 0x7F_FFFF
    if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }
    let e = exponent - 112  // rebias 127 → 15
    if e >= 31 { return sign | 0x7C00 }
    if e <= 0 {
      // Subnormal result: m × 2⁻²⁴ with m = (1.mantissa · 2²³) >> (14 − e), rounded.
      if e < -10 { return sign }
      let full = mantissa | 0x80_0000
      let shift = UInt32(14 - e)
      var h = full >> shift
      let rest = full & ((1 << shift) - 1)
      let mid = UInt32(1) << (shift - 1)
      if rest > mid || (rest == mid && h & 1 == 1) { h += 1 }
      return sign | UInt16(truncatingIfNeeded: h)
    }
    var h = UInt32(e) << 10 | (mantissa >> 13)
    let rest = mantissa & 0x1FFF
    // A carry out of the mantissa correctly bumps the exponent (up to infinity).
    if rest > 0x1000 || (rest == 0x1000 && h & 1 == 1) { h += 1 }
    return sign | UInt16(truncatingIfNeeded: h)
  }

  /// `value` rounded to the nearest binary16 value (what storing it in an F16 tensor keeps).
  @inline(__always)
  public static func round(_ value: Float) -> Float { float(bits(value)) }

  /// Rounds every element of a Float32 tensor to binary16 precision in place (an F16 KV cache,
  /// F16 attention operands).
  public static func roundInPlace(_ p: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { p[i] = round(p[i]) }
  }
}

extension Tensor {
  /// A Float32 copy with every element rounded to binary16 precision (inference only, no tape).
  public func roundedToHalf() -> Tensor {
    precondition(dtype == .float32, "roundedToHalf: Float32 only, got \(dtype)")
    let out = copy()
    Half.roundInPlace(out.pointer(Float.self), count: count)
    return out
  }
}
