import CQuantKernels
import Foundation
import XCTest

/// `rc_cpu_features` (CQuantKernels' CPUFeatures.c, the one CPU check every kernel's SIMD choice reads)
/// against the kernel's own account of this CPU: the `flags` line of /proc/cpuinfo.
final class CPUFeaturesTests: XCTestCase {
  func testFeaturesMatchProcCpuinfo() throws {
    #if os(Linux) && arch(x86_64)
      let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
      let line = try XCTUnwrap(info.split(separator: "\n").first { $0.hasPrefix("flags") })
      let flags = Set(line.split(separator: ":", maxSplits: 1)[1].split(separator: " ").map(String.init))
      let features = rc_cpu_features()
      let bits: [(String, Int32)] = [
        ("avx2", Int32(RC_CPU_AVX2)), ("fma", Int32(RC_CPU_FMA)),
        ("f16c", Int32(RC_CPU_F16C)), ("avx512f", Int32(RC_CPU_AVX512F)),
      ]
      for (flag, bit) in bits {
        XCTAssertEqual(features & bit != 0, flags.contains(flag), flag)
      }
      XCTAssertEqual(rc_cpu_has_avx2() == 1, flags.contains("avx2"))
      XCTAssertEqual(
        rc_cpu_has_all(Int32(RC_CPU_AVX2 | RC_CPU_FMA)) == 1,
        flags.contains("avx2") && flags.contains("fma"))
      // The kernels' own levels follow from the same bits.
      let avx2fma = flags.contains("avx2") && flags.contains("fma")
      XCTAssertEqual(rc_gemm_level(), flags.contains("avx512f") ? 2 : avx2fma ? 1 : 0)
      XCTAssertEqual(rc_attention_simd_available(), avx2fma ? (flags.contains("avx512f") ? 2 : 1) : 0)
    #else
      XCTAssertEqual(rc_cpu_features(), 0)
    #endif
  }
}
