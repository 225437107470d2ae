import Rollouts
import Training
import XCTest

final class S2RProcessRewardsTests: XCTestCase {
  var baseline: S2RRewardContextBaseline {
    var b = S2RRewardContextBaseline(minCount: 10)
    b.update(Array(repeating: ("R-1", 1.0), count: 6) + Array(repeating: ("R-1", -1.0), count: 4))
    return b
  }

  func testDocExample() {
    let r = s2rScored([(.solve, -1, false), (.verify, 1, false), (.solve, 1, true)])
    // Actions: s1, marker, v1, marker, s2.
    XCTAssertEqual(S2RProcessRewards.actionRewards(r, baseline: baseline), [-1, 0, 0.8, 0, 1])
    var o = S2RProcessRewardOptions()
    o.changedCorrectnessBonus = true
    o.verifyCorrectAttemptBonus = true
    XCTAssertEqual(S2RProcessRewards.actionRewards(r, baseline: baseline, options: o), [-1, 0, 0.8, 0, 2])
  }

  func testVerifyBonusAndTruncation() {
    var o = S2RProcessRewardOptions()
    o.verifyCorrectAttemptBonus = true
    let r = s2rScored([(.solve, 1, true), (.verify, -1, true)], truncated: true)
    XCTAssertEqual(S2RProcessRewards.actionRewards(r, baseline: .init(), options: o), [1, 0, -1])
    let ok = s2rScored([(.solve, 1, true), (.verify, -1, true)])
    XCTAssertEqual(S2RProcessRewards.actionRewards(ok, baseline: .init(), options: o), [1, 0, -2])
  }

  func testTokenTargetsDocExample() {
    let parsed = S2RParsedResponse(
      actions: [
        S2RAction(kind: .solve, tokenRange: 0..<2, partIndex: 1),
        S2RAction(kind: .marker, tokenRange: 2..<3, partIndex: 0, marker: .check),
        S2RAction(kind: .verify, tokenRange: 3..<4, partIndex: 3),
      ], responseEnd: 4, stopped: true, isValid: true)
    let t = S2RTokenTargets(parsed: parsed, responseLength: 5, actionRewards: [-1, 0, 1])
    XCTAssertEqual(t.lossMask, [true, true, true, true, false])
    XCTAssertEqual(t.partIndex, [1, 1, 0, 3, 0])
    XCTAssertEqual(t.reward, [-1, -1, 0, 1, 0])
    XCTAssertEqual(t.parts().map(\.part), [0, 1, 3])
    XCTAssertEqual(t.parts(includeMarkers: false).map(\.positions), [[0, 1], [3]])
  }
}
