import Rollouts
import Training
import XCTest

final class S2ROfflineFilterTests: XCTestCase {
  func testBandAndStrings() {
    XCTAssertTrue(S2ROfflineFilter.inAccuracyBand(0.125))
    XCTAssertTrue(S2ROfflineFilter.inAccuracyBand(0.7))
    XCTAssertFalse(S2ROfflineFilter.inAccuracyBand(0.75))
    XCTAssertFalse(S2ROfflineFilter.inAccuracyBand(0))
    let r = s2rScored([(.solve, -1, false), (.verify, 1, false), (.solve, 1, true), (.verify, 1, true)])
    XCTAssertEqual(S2ROfflineFilter.rewardString(r), "R-V+R+V+")
  }

  func testKeptActions() {
    XCTAssertEqual(S2ROfflineFilter.keptActions("R-V+R+V+R-V-"), 4)
    XCTAssertEqual(S2ROfflineFilter.keptActions("R+V-R-V+R+V-"), 6)
    XCTAssertEqual(S2ROfflineFilter.keptActions("R+V-R+"), 3)
    XCTAssertNil(S2ROfflineFilter.keptActions("R-V+"))
  }

  func testWellFormed() {
    XCTAssertTrue(S2ROfflineFilter.isWellFormed("R-V+R+V+"))
    XCTAssertFalse(S2ROfflineFilter.isWellFormed("R-R+V+"))
    XCTAssertFalse(S2ROfflineFilter.isWellFormed("V+R+"))
    XCTAssertFalse(S2ROfflineFilter.isWellFormed(String(repeating: "R-V-", count: 5) + "R+V+"))  // 12 actions
    XCTAssertTrue(S2ROfflineFilter.isWellFormed(String(repeating: "R-V-", count: 5) + "R+V+", maxActions: 20))
  }

  func testBalanceAndTokenEnd() {
    var g = SystemFreeRNG(seed: 3)
    let kept = S2ROfflineFilter.balancedNegatives(positives: 2, negatives: ["a", "b", "c", "d"], using: &g)
    XCTAssertEqual(kept.count, 2)
    XCTAssertEqual(Set(kept).count, 2)
    XCTAssertEqual(kept, kept.sorted())  // original order kept
    XCTAssertEqual(
      S2ROfflineFilter.balancedNegatives(positives: 3, negatives: ["a", "b"], using: &g), ["a", "b"])
    let parsed = S2RParsedResponse(
      actions: [
        S2RAction(kind: .solve, tokenRange: 0..<3, partIndex: 1),
        S2RAction(kind: .marker, tokenRange: 3..<4, partIndex: 0, marker: .check),
        S2RAction(kind: .verify, tokenRange: 4..<6, partIndex: 3),
        S2RAction(kind: .marker, tokenRange: 6..<7, partIndex: 0, marker: .retry),
        S2RAction(kind: .solve, tokenRange: 7..<9, partIndex: 5),
      ], responseEnd: 9, stopped: true, isValid: true)
    XCTAssertEqual(S2ROfflineFilter.tokenEnd(parsed, contentActions: 2), 6)
    XCTAssertEqual(S2ROfflineFilter.tokenEnd(parsed, contentActions: 9), 9)
  }

  func testDatasetBaseline() {
    let e = { (p: Int, r: Double) in
      S2RDatasetBaseline.Entry(accuracy: 0.375, position: p, context: "", reward: r)
    }
    let b = S2RDatasetBaseline(entries: [e(1, 1), e(1, -1), e(1, 1), e(2, 1)], key: .position, minCount: 2)
    XCTAssertEqual(b.baseline(for: e(1, 0)), 1.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(b.baseline(for: e(2, 0)), 0)
    let acc = S2RDatasetBaseline(entries: [e(1, 1), e(1, -1), e(1, 1), e(2, 1)], key: .accuracy, minCount: 2)
    XCTAssertEqual(acc.baseline(for: e(5, 0)), 0.5, accuracy: 1e-12)
    let ap = S2RDatasetBaseline(entries: [e(1, 1), e(2, 1)], key: .accuracyPosition, minCount: 1)
    XCTAssertEqual(
      ap.baseline(for: S2RDatasetBaseline.Entry(accuracy: 0.5, position: 1, context: "", reward: 0)), 0)
    XCTAssertEqual(ap.baseline(for: e(1, 0)), 1)
  }
}

/// SplitMix64 for seeded tests.
struct SystemFreeRNG: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
