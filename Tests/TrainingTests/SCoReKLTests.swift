import Foundation
import XCTest

@testable import Training

final class SCoReKLTests: XCTestCase {
  func testK1() {
    XCTAssertEqual(SCoReKL.k1(logProb: -1, refLogProb: -2), 1)
    XCTAssertEqual(SCoReKL.k1(logProb: -2, refLogProb: -1), -1)
    XCTAssertEqual(try SCoReKL.k1Sum(logProbs: [-1, -0.5], refLogProbs: [-2, -0.25]), 0.75, accuracy: 1e-12)
  }

  func testK3HandValues() {
    // Δ = ref − logp = −1: e^{-1} − (−1) − 1 = 0.36787944…
    XCTAssertEqual(SCoReKL.k3(logProb: -1, refLogProb: -2), 0.36787944117144233, accuracy: 1e-12)
    // Δ = 1: e − 2 = 0.71828182…
    XCTAssertEqual(SCoReKL.k3(logProb: -2, refLogProb: -1), 0.7182818284590451, accuracy: 1e-12)
    XCTAssertEqual(SCoReKL.k3(logProb: -3, refLogProb: -3), 0)
    XCTAssertEqual(
      try SCoReKL.k3Sum(logProbs: [-1, -2], refLogProbs: [-2, -1]), 1.0861612696304874, accuracy: 1e-12)
  }

  func testK3IsUnbiasedForTheKL() {
    // Two-outcome distributions p = (0.7, 0.3), q = (0.4, 0.6): E_p[k3] = KL(p‖q) exactly.
    let p = [0.7, 0.3]
    let q = [0.4, 0.6]
    let kl = zip(p, q).reduce(0) { $0 + $1.0 * log($1.0 / $1.1) }
    let expectedK3 = zip(p, q).reduce(0) { $0 + $1.0 * SCoReKL.k3(logProb: log($1.0), refLogProb: log($1.1)) }
    let expectedK1 = zip(p, q).reduce(0) { $0 + $1.0 * SCoReKL.k1(logProb: log($1.0), refLogProb: log($1.1)) }
    XCTAssertEqual(expectedK3, kl, accuracy: 1e-12)
    XCTAssertEqual(expectedK1, kl, accuracy: 1e-12)
  }

  func testLengthMismatchIsAnError() {
    XCTAssertThrowsError(try SCoReKL.k1Sum(logProbs: [-1], refLogProbs: [])) { error in
      XCTAssertEqual(
        error as? SCoReTrainingError, .lengthMismatch("policy log-probs 1 vs reference log-probs 0"))
    }
  }
}
