import XCTest

@testable import TensorCore

final class KernelReportTests: XCTestCase {
  /// The report names what actually runs: the BLAS chosen at load, the quantized kernel and the
  /// attention path; the portable warning appears exactly when OpenBLAS is missing.
  func testReportNamesTheChosenKernels() {
    let lines = KernelReport.lines
    XCTAssertEqual(lines.count, 5)
    XCTAssertTrue(lines[0].hasPrefix("matrix products: \(BLAS.backend)"), lines[0])
    XCTAssertTrue(lines[0].contains("\(BLAS.threads) thread"), lines[0])
    XCTAssertEqual(lines[2].contains("AVX2"), QuantKernel.best == .avx2)
    XCTAssertTrue(
      lines[4].hasSuffix(["portable", "AVX2", "AVX-512"][causalSelfAttentionSIMDLevel]), lines[4])
    XCTAssertEqual(KernelReport.portableWarning == nil, BLAS.library != nil)
    if let warning = KernelReport.portableWarning {
      XCTAssertTrue(warning.contains("Scripts/install-deps.sh"))
    }
    // The CPU flags the report reads are the ones OpenBLAS's core was chosen from.
    let flags = KernelReport.cpuFlags()
    if flags.contains("avx2") && flags.contains("fma") { XCTAssertNotNil(BLAS.preferredCore()) }
  }
}
