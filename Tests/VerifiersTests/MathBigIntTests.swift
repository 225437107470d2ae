import Verifiers
import XCTest

/// BigInt/Rational against values computed independently (Python integers, by hand).
final class MathBigIntTests: XCTestCase {
  func testDecimalRoundTripAndProducts() throws {
    let a = try XCTUnwrap(MathBigInt(decimal: "123456789012345678901234567890"))
    let b = try XCTUnwrap(MathBigInt(decimal: "-987654321098765432109876543210"))
    XCTAssertEqual(a.description, "123456789012345678901234567890")
    // Python: 123456789012345678901234567890 * -987654321098765432109876543210
    XCTAssertEqual((a * b).description, "-121932631137021795226185032733622923332237463801111263526900")
    XCTAssertEqual((a + b).description, "-864197532086419753208641975320")
  }

  func testDivisionAgainstMultiplication() throws {
    var rng: UInt64 = 12345
    func next() -> UInt64 {
      rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return rng >> 11
    }
    for _ in 0..<200 {
      let x = MathBigInt(Int(next())) * MathBigInt(Int(next())) * MathBigInt(Int(next() % 1000 + 1))
      let d = MathBigInt(Int(next() % 1_000_000_007 + 1)) * MathBigInt(Int(next() % 99_999 + 1))
      let qr = try XCTUnwrap(x.quotientAndRemainder(dividingBy: d))
      XCTAssertEqual(qr.quotient * d + qr.remainder, x)
      XCTAssertTrue(qr.remainder.magnitude < d.magnitude)
    }
    XCTAssertNil(MathBigInt(5).quotientAndRemainder(dividingBy: .zero))
    XCTAssertEqual(MathBigInt.gcd(MathBigInt(12), MathBigInt(-18)), MathBigInt(6))
  }

  func testRationalArithmetic() throws {
    let third = try XCTUnwrap(MathRational(1, 3))
    let sixth = try XCTUnwrap(MathRational(1, 6))
    XCTAssertEqual((third + sixth)?.description, "1/2")
    XCTAssertEqual(MathRational(decimalLiteral: "-4.50")?.description, "-9/2")
    XCTAssertEqual(MathRational(decimalLiteral: "1.2e-3")?.description, "3/2500")
    XCTAssertEqual(MathRational(8, 27)?.root(3)?.description, "2/3")
    XCTAssertNil(MathRational(2).root(2))
    XCTAssertNil(MathRational(2).power(1_000_000))  // capped, not computed
    XCTAssertEqual(MathRational(2).power(-3)?.description, "1/8")
    XCTAssertNil(MathRational(1, 0))
  }
}
