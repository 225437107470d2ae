import Rollouts
import Training
import XCTest

final class S2RPolicyLossTests: XCTestCase {
  func testOutcomeDocExample() {
    let (l, g) = S2RPolicyLoss.outcome(
      mask: [true, true, false], newLogProbs: [-1, -1, -5], oldLogProbs: [-1, -1, -5], advantage: 0.5)
    XCTAssertEqual(l, -0.5, accuracy: 1e-12)
    XCTAssertEqual(g, [-0.25, -0.25, 0])
  }

  func targets() -> S2RTokenTargets {
    let parsed = S2RParsedResponse(
      actions: [
        S2RAction(kind: .solve, tokenRange: 0..<2, partIndex: 1),
        S2RAction(kind: .verify, tokenRange: 2..<3, partIndex: 3),
      ], responseEnd: 3, stopped: true, isValid: true)
    return S2RTokenTargets(parsed: parsed, responseLength: 3, actionRewards: [-1, 1])
  }

  func testProcessDocExample() {
    let lp = [-1.0, -2, -0.5]
    let (l, g) = S2RPolicyLoss.process(
      targets: targets(), newLogProbs: lp, oldLogProbs: lp, refLogProbs: lp, beta: 0.05)
    XCTAssertEqual(l, 0, accuracy: 1e-12)
    XCTAssertEqual(g[0], 0.25, accuracy: 1e-12)
    XCTAssertEqual(g[1], 0.25, accuracy: 1e-12)
    XCTAssertEqual(g[2], -0.5, accuracy: 1e-12)
  }

  func testProcessGradientMatchesFiniteDifferences() {
    let old = [-1.0, -2, -0.5]
    let ref = [-1.2, -1.9, -0.7]
    let new = [-0.95, -2.05, -0.45]
    let (_, g) = S2RPolicyLoss.process(
      targets: targets(), newLogProbs: new, oldLogProbs: old, refLogProbs: ref, beta: 0.5)
    for t in 0..<3 {
      var p = new
      var m = new
      p[t] += 1e-6
      m[t] -= 1e-6
      let fp = S2RPolicyLoss.process(
        targets: targets(), newLogProbs: p, oldLogProbs: old, refLogProbs: ref, beta: 0.5)
      let fm = S2RPolicyLoss.process(
        targets: targets(), newLogProbs: m, oldLogProbs: old, refLogProbs: ref, beta: 0.5)
      XCTAssertEqual(g[t], (fp.loss - fm.loss) / 2e-6, accuracy: 1e-6)
    }
    // A_1 = −1 − 0.5·(0.2 − 0.1) = −1.05, ρ_1 = 1 → ℓ_1 = 1.05 (at new = old); part 3: A = 1 − 0.1 = 0.9.
    let (l0, _) = S2RPolicyLoss.process(
      targets: targets(), newLogProbs: old, oldLogProbs: old, refLogProbs: ref, beta: 0.5)
    XCTAssertEqual(l0, (1.05 - 0.9) / 2, accuracy: 1e-12)
  }
}
