import Foundation
import XCTest

@testable import Training

final class SCoReAdaptiveBeta2Tests: XCTestCase {
  func testHandComputedSteps() {
    var rule = SCoReAdaptiveBeta2(beta2: 0.1)
    // Step 1: KL1 = 0 (policy = reference) → EMAs (0.02, 0), β2 unchanged.
    XCTAssertEqual(rule.update(policyGradientLoss: 2, firstTurnKL: 0), 0.1)
    XCTAssertEqual(rule.policyGradientEMA, 0.02, accuracy: 1e-15)
    // Step 2: EMA|PG| = 0.99·0.02 + 0.01·1 = 0.0298; EMA|KL| = 0.005 → β2 = 5.96.
    XCTAssertEqual(rule.update(policyGradientLoss: -1, firstTurnKL: 0.5), 5.96, accuracy: 1e-12)
    // Step 3: EMA|PG| = 0.029502 + 0.0001 = 0.029602; EMA|KL| = 0.00495 + 0.04 = 0.04495 → 0.658554…
    XCTAssertEqual(rule.update(policyGradientLoss: 0.01, firstTurnKL: 4), 0.029602 / 0.04495, accuracy: 1e-12)
  }

  func testConvergesToBalanceAndIsClamped() {
    var rule = SCoReAdaptiveBeta2(beta2: 0.1)
    for _ in 0..<2000 { rule.update(policyGradientLoss: 0.3, firstTurnKL: 1.5) }
    XCTAssertEqual(rule.beta2, 0.2, accuracy: 1e-9)  // β2 · 1.5 = 0.3
    var big = SCoReAdaptiveBeta2(beta2: 0.1, maxBeta2: 10)
    big.update(policyGradientLoss: 100, firstTurnKL: 1)
    XCTAssertEqual(big.beta2, 10)
    var small = SCoReAdaptiveBeta2(beta2: 0.1, minBeta2: 1e-3)
    small.update(policyGradientLoss: 0, firstTurnKL: 1)
    XCTAssertEqual(small.beta2, 1e-3)
    XCTAssertEqual(small.update(policyGradientLoss: .nan, firstTurnKL: 1), 1e-3)
  }

  func testCodableRoundTripKeepsState() throws {
    var rule = SCoReAdaptiveBeta2(beta2: 0.25)
    rule.update(policyGradientLoss: 1, firstTurnKL: 2)
    let back = try JSONDecoder().decode(SCoReAdaptiveBeta2.self, from: JSONEncoder().encode(rule))
    XCTAssertEqual(back, rule)
  }
}
