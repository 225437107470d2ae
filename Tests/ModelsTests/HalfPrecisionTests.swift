import XCTest

@testable import Models

/// Bit patterns below are computed by hand from the IEEE 754 binary16 / bfloat16 layouts.
final class HalfPrecisionTests: XCTestCase {
  func testF16EncodingOfNormalNumbers() {
    XCTAssertEqual(HalfPrecision.f16Bits(from: 1.0), 0x3C00)
    XCTAssertEqual(HalfPrecision.f16Bits(from: -2.0), 0xC000)
    XCTAssertEqual(HalfPrecision.f16Bits(from: 0.5), 0x3800)
    XCTAssertEqual(HalfPrecision.f16Bits(from: 0.1), 0x2E66)  // 0.0999755859375
    XCTAssertEqual(HalfPrecision.f16Bits(from: 1.0 / 3.0), 0x3555)
    XCTAssertEqual(HalfPrecision.f16Bits(from: 65504), 0x7BFF)  // largest finite
    XCTAssertEqual(HalfPrecision.f16Bits(from: 0x1p-14), 0x0400)  // smallest normal
  }

  func testF16RoundsToNearestEven() {
    XCTAssertEqual(HalfPrecision.f16Bits(from: 1 + 0x1p-11), 0x3C00)  // tie → even (mantissa 0)
    XCTAssertEqual(HalfPrecision.f16Bits(from: 1 + 3 * 0x1p-11), 0x3C02)  // tie → even (mantissa 2)
    XCTAssertEqual(HalfPrecision.f16Bits(from: 1 + 0x1p-11 + 0x1p-20), 0x3C01)  // above the tie
    XCTAssertEqual(HalfPrecision.f16Bits(from: 65519), 0x7BFF)  // below the tie with 65536
    XCTAssertEqual(HalfPrecision.f16Bits(from: 65520), 0x7C00)  // tie → even, which is +inf
    XCTAssertEqual(HalfPrecision.f16Bits(from: 1e6), 0x7C00)
    XCTAssertEqual(HalfPrecision.f16Bits(from: -1e6), 0xFC00)
  }

  func testF16Subnormals() {
    XCTAssertEqual(HalfPrecision.f16Bits(from: 0x1p-24), 0x0001)  // smallest subnormal
    XCTAssertEqual(HalfPrecision.f16Bits(from: 0x1p-25), 0x0000)  // tie between 0 and 1 unit → 0
    XCTAssertEqual(HalfPrecision.f16Bits(from: Float(bitPattern: 0x3300_0001)), 0x0001)  // just above
    XCTAssertEqual(HalfPrecision.f16Bits(from: 3 * 0x1p-25), 0x0002)  // 1.5 units → even 2
    XCTAssertEqual(HalfPrecision.f16Bits(from: 1023 * 0x1p-24), 0x03FF)  // largest subnormal
    XCTAssertEqual(HalfPrecision.f16Bits(from: 1023.5 * 0x1p-24), 0x0400)  // carries into the exponent
    XCTAssertEqual(HalfPrecision.f16Bits(from: 1e-10), 0x0000)
    XCTAssertEqual(HalfPrecision.f16Bits(from: -1e-10), 0x8000)
    XCTAssertEqual(HalfPrecision.f16Bits(from: -0.0), 0x8000)
  }

  func testF16SpecialValues() {
    XCTAssertEqual(HalfPrecision.f16Bits(from: .infinity), 0x7C00)
    XCTAssertEqual(HalfPrecision.f16Bits(from: -.infinity), 0xFC00)
    let nan = HalfPrecision.f16Bits(from: .nan)
    XCTAssertEqual(nan & 0x7C00, 0x7C00)
    XCTAssertNotEqual(nan & 0x03FF, 0)
    // A signalling NaN whose payload lies only in the low 13 bits must not become infinity.
    XCTAssertNotEqual(HalfPrecision.f16Bits(from: Float(bitPattern: 0x7F80_0001)) & 0x03FF, 0)
  }

  func testF16Decoding() {
    XCTAssertEqual(HalfPrecision.float(fromF16: 0x3C00), 1)
    XCTAssertEqual(HalfPrecision.float(fromF16: 0xC000), -2)
    XCTAssertEqual(HalfPrecision.float(fromF16: 0x3555), 0.333251953125)
    XCTAssertEqual(HalfPrecision.float(fromF16: 0x0001), 0x1p-24)
    XCTAssertEqual(HalfPrecision.float(fromF16: 0x03FF), 1023 * 0x1p-24)
    XCTAssertEqual(HalfPrecision.float(fromF16: 0x7BFF), 65504)
    XCTAssertEqual(HalfPrecision.float(fromF16: 0x7C00), .infinity)
    XCTAssertEqual(HalfPrecision.float(fromF16: 0xFC00), -.infinity)
    XCTAssertTrue(HalfPrecision.float(fromF16: 0x7E00).isNaN)
    XCTAssertEqual(HalfPrecision.float(fromF16: 0x8000).bitPattern, 0x8000_0000)  // -0 keeps its sign
  }

  /// Every non-NaN binary16 pattern survives decode → encode.
  func testF16RoundTripOfAllPatterns() {
    for bits in UInt16.min...UInt16.max {
      let value = HalfPrecision.float(fromF16: bits)
      if value.isNaN { continue }
      XCTAssertEqual(HalfPrecision.f16Bits(from: value), bits, "pattern 0x\(String(bits, radix: 16))")
    }
  }

  #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// Against the platform's own `Float16` conversion (hardware/compiler-rt, an independent
    /// implementation) on 200 000 seeded random bit patterns covering all exponents.
    func testF16MatchesPlatformFloat16() {
      var state: UInt64 = 0x9E37_79B9_7F4A_7C15
      for _ in 0..<200_000 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let value = Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32))
        if value.isNaN { continue }
        XCTAssertEqual(HalfPrecision.f16Bits(from: value), Float16(value).bitPattern, "value \(value)")
        let half = UInt16(truncatingIfNeeded: state >> 7)
        let reference = Float(Float16(bitPattern: half))
        let mine = HalfPrecision.float(fromF16: half)
        XCTAssertTrue(mine.bitPattern == reference.bitPattern || (mine.isNaN && reference.isNaN))
      }
    }
  #endif

  func testBF16Encoding() {
    XCTAssertEqual(HalfPrecision.bf16Bits(from: 1.0), 0x3F80)
    XCTAssertEqual(HalfPrecision.bf16Bits(from: Float(bitPattern: 0x4049_0FDB)), 0x4049)  // π rounds down
    XCTAssertEqual(HalfPrecision.bf16Bits(from: Float(bitPattern: 0x3F80_8000)), 0x3F80)  // tie → even
    XCTAssertEqual(HalfPrecision.bf16Bits(from: Float(bitPattern: 0x3F81_8000)), 0x3F82)  // tie → even
    XCTAssertEqual(HalfPrecision.bf16Bits(from: Float(bitPattern: 0x3F80_8001)), 0x3F81)  // above the tie
    XCTAssertEqual(HalfPrecision.bf16Bits(from: .greatestFiniteMagnitude), 0x7F80)  // overflows to inf
    XCTAssertEqual(HalfPrecision.bf16Bits(from: .infinity), 0x7F80)
    XCTAssertEqual(HalfPrecision.bf16Bits(from: -.infinity), 0xFF80)
    XCTAssertEqual(HalfPrecision.bf16Bits(from: -0.0), 0x8000)
    XCTAssertEqual(HalfPrecision.bf16Bits(from: Float(bitPattern: 0x0000_8000)), 0x0000)  // subnormal tie
    XCTAssertEqual(HalfPrecision.bf16Bits(from: Float(bitPattern: 0x0001_8000)), 0x0002)
    XCTAssertEqual(HalfPrecision.bf16Bits(from: .nan), 0x7FC0)
    // Signalling NaN with payload only in the discarded bits stays NaN (would otherwise become inf).
    XCTAssertEqual(HalfPrecision.bf16Bits(from: Float(bitPattern: 0x7F80_0001)), 0x7FC0)
  }

  func testBF16Decoding() {
    XCTAssertEqual(HalfPrecision.float(fromBF16: 0x3F80), 1)
    XCTAssertEqual(HalfPrecision.float(fromBF16: 0xC049), -3.140625)
    XCTAssertEqual(HalfPrecision.float(fromBF16: 0x0001), Float(bitPattern: 0x0001_0000))  // subnormal
    XCTAssertEqual(HalfPrecision.float(fromBF16: 0xFF80), -.infinity)
  }
}
