import XCTest

@testable import Training

final class SCoReRewardsTests: XCTestCase {
  let c = SCoReCoefficients()  // α = 10, β1 = 0.01, β2 = 0.1

  func testShapingTableOfSection2_4() {
    // (r1, r2) → r̃2 with α = 10: fixed a mistake 11, kept 1, failed twice 0, broke −10.
    XCTAssertEqual(SCoReRewards.shapedReward(r1: 0, r2: 1, alpha: 10), 11)
    XCTAssertEqual(SCoReRewards.shapedReward(r1: 1, r2: 1, alpha: 10), 1)
    XCTAssertEqual(SCoReRewards.shapedReward(r1: 0, r2: 0, alpha: 10), 0)
    XCTAssertEqual(SCoReRewards.shapedReward(r1: 1, r2: 0, alpha: 10), -10)
    XCTAssertEqual(SCoReCoefficients.mbpp.beta2, 0.25)
  }

  func testMultiAttemptShaping() {
    XCTAssertEqual(SCoReRewards.shapedRewards([0, 1, 1], alpha: 10), [0, 11, 1])
    XCTAssertEqual(SCoReRewards.shapedRewards([1, 0, 1], alpha: 10), [1, -10, 11])
    XCTAssertEqual(SCoReRewards.shapedRewards([1], alpha: 10), [1])
  }

  func testStageIAndStageIITermsByHand() throws {
    let stageI = try SCoReRewards.turnTerms(
      rewards: [1, 0], kl: [2, 3], stage: .stageI(subStage: 1), coefficients: c)
    XCTAssertNil(stageI[0].policyReturn)  // no task reward on turn 1 in Stage I
    XCTAssertEqual(stageI[0].klCoefficient, 0.11, accuracy: 1e-12)  // β2 + β1
    XCTAssertEqual(stageI[1].policyReturn!, -0.03, accuracy: 1e-12)  // 0 − 0.01·3
    XCTAssertEqual(stageI[1].klCoefficient, 0)

    let stageII = try SCoReRewards.turnTerms(rewards: [1, 0], kl: [2, 3], stage: .stageII, coefficients: c)
    XCTAssertEqual(stageII[0].policyReturn!, 0.98, accuracy: 1e-12)  // 1 − 0.01·2, unshaped
    XCTAssertEqual(stageII[1].policyReturn!, -10.03, accuracy: 1e-12)  // 0 + 10·(0 − 1) − 0.03
    XCTAssertEqual(stageII.map(\.klCoefficient), [0, 0])
  }

  /// `relativeReturn`: Stage I's rewarded attempt is credited r_{s+1} − r_s − β1·KL; Stage II and the
  /// pinned attempts are unchanged.
  func testStageIRelativeReturnByHand() throws {
    let relative = try SCoReRewards.turnTerms(
      rewards: [1, 0], kl: [2, 3], stage: .stageI(subStage: 1), coefficients: c, relativeReturn: true)
    XCTAssertNil(relative[0].policyReturn)
    XCTAssertEqual(relative[0].klCoefficient, 0.11, accuracy: 1e-12)
    XCTAssertEqual(relative[1].policyReturn!, -1.03, accuracy: 1e-12)  // 0 − 1 − 0.01·3 (a break)
    let fix = try SCoReRewards.turnTerms(
      rewards: [0, 1], kl: [0, 0], stage: .stageI(subStage: 1), coefficients: c, relativeReturn: true)
    XCTAssertEqual(fix[1].policyReturn, 1)
    let kept = try SCoReRewards.turnTerms(
      rewards: [1, 1], kl: [0, 0], stage: .stageI(subStage: 1), coefficients: c, relativeReturn: true)
    XCTAssertEqual(kept[1].policyReturn, 0)
    // Three attempts, sub-stage 2: relative to attempt 2, not attempt 1.
    let b = try SCoReRewards.turnTerms(
      rewards: [0, 1, 1], kl: [0, 0, 0], stage: .stageI(subStage: 2), coefficients: c, relativeReturn: true)
    XCTAssertEqual(b.map(\.policyReturn), [nil, nil, 0])
    let s2 = try SCoReRewards.turnTerms(
      rewards: [1, 0], kl: [2, 3], stage: .stageII, coefficients: c, relativeReturn: true)
    XCTAssertEqual(s2[1].policyReturn!, -10.03, accuracy: 1e-12)
  }

  func testStageISubStagesForThreeAttempts() throws {
    let r = [1.0, 0, 1]
    let kl = [0.0, 0, 0]
    let a = try SCoReRewards.turnTerms(rewards: r, kl: kl, stage: .stageI(subStage: 1), coefficients: c)
    XCTAssertEqual(a.map(\.policyReturn), [nil, 0, nil])
    XCTAssertEqual(a[0].klCoefficient, 0.11, accuracy: 1e-12)
    XCTAssertEqual(a[2].klCoefficient, 0)
    let b = try SCoReRewards.turnTerms(rewards: r, kl: kl, stage: .stageI(subStage: 2), coefficients: c)
    XCTAssertEqual(b.map(\.policyReturn), [nil, nil, 1])
    XCTAssertEqual(b[0].klCoefficient, 0.11, accuracy: 1e-12)
    XCTAssertEqual(b[1].klCoefficient, 0.11, accuracy: 1e-12)
    let s2 = try SCoReRewards.turnTerms(rewards: r, kl: kl, stage: .stageII, coefficients: c)
    XCTAssertEqual(s2.map(\.policyReturn), [1, -10, 11])
  }

  func testBadStagesAreErrors() {
    XCTAssertThrowsError(
      try SCoReRewards.turnTerms(rewards: [1, 0], kl: [0, 0], stage: .stageI(subStage: 2), coefficients: c))
    XCTAssertThrowsError(
      try SCoReRewards.turnTerms(rewards: [1, 0], kl: [0, 0], stage: .stageI(subStage: 0), coefficients: c))
    XCTAssertThrowsError(
      try SCoReRewards.turnTerms(rewards: [1, 0], kl: [0], stage: .stageII, coefficients: c))
  }
}
