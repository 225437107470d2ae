import Foundation
import Verifiers
import XCTest

/// Seeded fuzzing: random token soups and mutations of real answers never crash or hang
/// extraction or equivalence; each call must finish in well under 50 ms.
final class MathGraderFuzzTests: XCTestCase {
  struct LCG {
    var s: UInt64
    mutating func next(_ n: Int) -> Int {
      s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((s >> 33) % UInt64(n))
    }
  }

  static let pieces = [
    "\\frac", "\\sqrt", "{", "}", "(", ")", "[", "]", "^", "_", "\\pi", "x", "y", "e", "i", "1", "2", "9",
    "99", "0", ".", ",", "-", "+", "*", "/", "=", "\\cdot", "\\infty", "\\cup", "\\{", "\\}", "\\left(",
    "\\right)", "\\text{", "cm", "%", "\\%", "$", "\\boxed{", "\\pm", "!", "\\begin{pmatrix}",
    "\\end{pmatrix}",
    "&", "\\\\", " ", "\\sin", "\\log_", "|", "2^{2^{2^{99}}}", "10^{999}", "\\binom", "é", "∞", "\\lfloor",
  ]
  static let seeds = [
    "\\frac{1}{2}", "(-\\infty, 2) \\cup (3, \\infty)", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "2x+2",
    "\\{1\\pm\\sqrt{5},-2\\}", "25\\%", "y = 2x + 3", "6.72\\times10^{-5}", "\\$32,\\!348",
  ]

  func testRandomAndMutatedInputsAreSafeAndFast() {
    var rng = LCG(s: 2025)
    var worst = 0.0
    for round in 0..<3000 {
      var a = ""
      if round % 2 == 0 {
        for _ in 0..<rng.next(25) { a += Self.pieces[rng.next(Self.pieces.count)] }
      } else {
        var chars = Array(Self.seeds[rng.next(Self.seeds.count)])
        for _ in 0..<(1 + rng.next(4)) {
          let k = chars.isEmpty ? 0 : rng.next(chars.count)
          switch rng.next(3) {
          case 0: if !chars.isEmpty { chars.remove(at: k) }
          case 1: chars.insert(contentsOf: Array(Self.pieces[rng.next(Self.pieces.count)]), at: k)
          default: if !chars.isEmpty { chars[k] = Array("{}()^_\\0-,")[rng.next(10)] }
          }
        }
        a = String(chars)
      }
      let ref = Self.seeds[rng.next(Self.seeds.count)]
      // CPU time of this thread, not wall time: the bound is about the grader's work, and must not
      // fail because other processes hold the cores (a loaded 2-core CI machine did, at 50–460 ms).
      let t0 = Self.threadCPUNanoseconds()
      _ = MathGrader.equivalent(reference: ref, answer: a)
      _ = MathGrader.equivalent(reference: a, answer: a + "1")
      _ = AnswerExtractor.extract("text \\boxed{" + a + "} and " + a)
      _ = MathGrader.grade(reference: ref, response: "so \\boxed{" + a + "} and " + a)
      let ms = Double(Self.threadCPUNanoseconds() - t0) / 1e6
      worst = max(worst, ms)
      XCTAssertLessThan(ms, 50, "slow input: \(a)")
    }
    XCTAssertTrue(worst.isFinite)
  }

  static func threadCPUNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
  }

  func testPathologicalInputs() {
    let nasty = [
      String(repeating: "(", count: 5000), String(repeating: "{", count: 3000) + "1",
      String(repeating: "\\frac{1}", count: 400),
      String(repeating: "2^", count: 300) + "2", "9" + String(repeating: "9", count: 5000), "1000000!",
      "\\binom{10000}{5000}",
      String(repeating: "x", count: 2) + String(repeating: "+x", count: 2000),
      "\\boxed{" + String(repeating: "}", count: 100),
    ]
    for s in nasty {
      let t0 = DispatchTime.now().uptimeNanoseconds
      _ = MathGrader.equivalent(reference: s, answer: s + "1")
      _ = MathGrader.equivalent(reference: "1", answer: s)
      _ = AnswerExtractor.extract(s)
      XCTAssertLessThan(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6, 150, String(s.prefix(40)))
    }
  }
}
