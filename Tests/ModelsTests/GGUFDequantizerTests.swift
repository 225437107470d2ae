import XCTest

@testable import Models

/// Hand-built blocks with values worked out on paper from the ggml block layouts.
final class GGUFDequantizerTests: XCTestCase {
  private func f16(_ value: Float) -> [UInt8] {
    let bits = HalfPrecision.f16Bits(from: value)
    return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
  }

  private func decode(_ type: GGMLType, _ bytes: [UInt8], count: Int) throws -> [Float] {
    try bytes.withUnsafeBytes { try GGUFDequantizer.dequantize(type, source: $0, count: count, tensor: "t") }
  }

  func testQ8_0() throws {
    // d = 0.5, q = [-128, -1, 0, 1, 127, 0, …] → [-64, -0.5, 0, 0.5, 63.5, 0, …]
    var q = [Int8](repeating: 0, count: 32)
    q[0] = -128
    q[1] = -1
    q[3] = 1
    q[4] = 127
    let block = f16(0.5) + q.map { UInt8(bitPattern: $0) }
    let values = try decode(.q8_0, block, count: 32)
    XCTAssertEqual(Array(values[0..<5]), [-64, -0.5, 0, 0.5, 63.5])
    XCTAssertEqual(values[5...].allSatisfy { $0 == 0 }, true)
  }

  func testQ4_0() throws {
    // d = 2; byte i = low nibble i, high nibble 15 − i → x[i] = 2(i − 8), x[i+16] = 2(7 − i)
    let qs = (0..<16).map { UInt8($0) | (UInt8(15 - $0) << 4) }
    let values = try decode(.q4_0, f16(2) + qs, count: 32)
    XCTAssertEqual(Array(values[0..<16]), (0..<16).map { Float(2 * ($0 - 8)) })
    XCTAssertEqual(Array(values[16..<32]), (0..<16).map { Float(2 * (7 - $0)) })
  }

  func testQ4_1() throws {
    // d = 0.25, m = −1: x[i] = 0.25·lo − 1, x[i+16] = 0.25·hi − 1; byte 0x5A → lo 10, hi 5
    let qs = [UInt8](repeating: 0x5A, count: 16)
    let values = try decode(.q4_1, f16(0.25) + f16(-1) + qs, count: 32)
    XCTAssertEqual(Array(values[0..<16]), Array(repeating: 1.5, count: 16))
    XCTAssertEqual(Array(values[16..<32]), Array(repeating: 0.25, count: 16))
  }

  func testQ5_0() throws {
    // qh bit 0 set (x[0] gets +16), bit 16 set (x[16] gets +16); qs all 0x00 → x = d·(0 − 16) otherwise.
    let qh: [UInt8] = [0x01, 0x00, 0x01, 0x00]
    let values = try decode(.q5_0, f16(1) + qh + [UInt8](repeating: 0, count: 16), count: 32)
    XCTAssertEqual(values[0], 0)
    XCTAssertEqual(values[1], -16)
    XCTAssertEqual(values[16], 0)
    XCTAssertEqual(values[17], -16)
  }

  func testQ8_K() throws {
    // f32 d = 0.125, q[i] = i − 128 (int8), bsums ignored.
    let d = withUnsafeBytes(of: Float(0.125).bitPattern.littleEndian, Array.init)
    let q = (0..<256).map { UInt8(truncatingIfNeeded: $0 - 128) }
    let values = try decode(.q8_K, d + q + [UInt8](repeating: 0, count: 32), count: 256)
    XCTAssertEqual(values, (0..<256).map { Float($0 - 128) * 0.125 })
  }

  func testSizeMismatchIsAnError() {
    XCTAssertThrowsError(try decode(.q8_0, [UInt8](repeating: 0, count: 33), count: 32)) { error in
      XCTAssertTrue("\(error)".contains("need 34 bytes, got 33"), "\(error)")
    }
    XCTAssertThrowsError(try decode(.q4_0, [UInt8](repeating: 0, count: 18), count: 31))
    XCTAssertThrowsError(try decode(GGMLType(rawValue: 77), [], count: 0)) { error in
      XCTAssertTrue("\(error)".contains("type number 77"), "\(error)")
    }
  }
}
