import Foundation
import Training
import XCTest

final class S2RClippedSurrogateTests: XCTestCase {
  func testHandComputed() {
    let up = S2RClippedSurrogate.evaluate(meanLogProb: log(1.5), meanOldLogProb: 0, advantage: 1)
    XCTAssertEqual(up.loss, -1.2, accuracy: 1e-12)
    XCTAssertEqual(up.derivative, 0)
    XCTAssertTrue(up.clipped)
    let down = S2RClippedSurrogate.evaluate(meanLogProb: log(1.5) - 2, meanOldLogProb: -2, advantage: -1)
    XCTAssertEqual(down.loss, 1.5, accuracy: 1e-12)
    XCTAssertEqual(down.derivative, 1.5, accuracy: 1e-12)
    let mid = S2RClippedSurrogate.evaluate(meanLogProb: log(1.1), meanOldLogProb: 0, advantage: 2)
    XCTAssertEqual(mid.loss, -2.2, accuracy: 1e-12)
    XCTAssertEqual(mid.derivative, -2.2, accuracy: 1e-12)
    // Log-ratio clamp at 10: ratio e^10, no gradient (A < 0 so the unclipped term is the minimum).
    let far = S2RClippedSurrogate.evaluate(meanLogProb: 20, meanOldLogProb: 0, advantage: -1)
    XCTAssertEqual(far.ratio, exp(10), accuracy: 1e-6)
    XCTAssertEqual(far.derivative, 0)
  }

  func testDerivativeMatchesFiniteDifferences() {
    let h = 1e-6
    for d in stride(from: -0.5, through: 0.5, by: 0.07) {
      for a in [-1.5, -0.3, 0.4, 2.0] {
        let f = { (m: Double) in
          S2RClippedSurrogate.evaluate(meanLogProb: m, meanOldLogProb: 0, advantage: a).loss
        }
        let fd = (f(d + h) - f(d - h)) / (2 * h)
        let v = S2RClippedSurrogate.evaluate(meanLogProb: d, meanOldLogProb: 0, advantage: a)
        XCTAssertEqual(v.derivative, fd, accuracy: 1e-5, "d=\(d) A=\(a)")
      }
    }
  }
}
