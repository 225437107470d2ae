import CQuantKernels
import Foundation
import XCTest

/// `rc_expf_array` (CQuantKernels' LibmExp.c) against the libm `expf` that Swift's `Float.exp` calls:
/// the same bits on every float tried, since the decode softmax and SwiGLU use it in place of expf and
/// a run's tables must not move. (Checked once on all 2³² floats: no difference; see LibmExp.c.)
final class LibmExpTests: XCTestCase {
  private func assertMatchesLibm(
    _ xs: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    var ys = xs
    ys.withUnsafeMutableBufferPointer { rc_expf_array($0.baseAddress, $0.count) }
    var mismatches = 0
    for (x, y) in zip(xs, ys) {
      let e = Foundation.expf(x)
      if e.bitPattern != y.bitPattern && !(e.isNaN && y.isNaN) {
        if mismatches < 3 { XCTFail("\(what): exp(\(x)) libm \(e) vs \(y)", file: file, line: line) }
        mismatches += 1
      }
    }
    XCTAssertEqual(mismatches, 0, "\(what): \(mismatches) of \(xs.count) differ", file: file, line: line)
  }

  func testEveryExponentAndSign() {
    // Every 251st bit pattern: all exponents, both signs, subnormals, ±∞ and NaNs (scalar lanes).
    let xs = stride(from: UInt64(0), to: 1 << 32, by: 251).map { Float(bitPattern: UInt32($0)) }
    assertMatchesLibm(xs, "bit patterns")
  }

  func testDenseOverTheVectorRange() {
    // The range the 8-wide lanes take (|x| < 88), densely, plus the edges the scalar lanes take.
    var xs = (0..<2_000_000).map { -104 + 193 * Float($0) / 2_000_000 }
    xs += [0, -0, 88, -88, 88.72283, -103.97208, .infinity, -.infinity, .nan, .leastNonzeroMagnitude]
    assertMatchesLibm(xs, "dense range")
  }

  func testTailsAndShortArrays() {
    // Lengths that leave 1–7 values after the 8-wide blocks, and arrays below the vector cut-off.
    var rng = SystemRandomNumberGenerator()
    for n in [0, 1, 3, 4, 7, 8, 9, 15, 17, 63] {
      assertMatchesLibm((0..<n).map { _ in Float.random(in: -30...30, using: &rng) }, "n=\(n)")
    }
  }

  func testVectorPathIsTakenOnThisMachine() throws {
    // Where the CPU has AVX2 and FMA the 8-wide path must pass its own probe against this libm;
    // otherwise the tests above only exercised the scalar fallback.
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    guard cpu.contains(" avx2 "), cpu.contains(" fma ") else { throw XCTSkip("no AVX2/FMA on this CPU") }
    XCTAssertEqual(rc_expf_vector_available(), 1)
    var (x, y) = ([Float](repeating: 0, count: 8), [Float](repeating: 0, count: 8))
    x = [-87.5, -20, -1, -1e-7, 0, 0.5, 10, 87.9]
    rc_expf8(x, &y)
    XCTAssertEqual(y.map(\.bitPattern), x.map { Foundation.expf($0).bitPattern })
  }
}
