import Rollouts
import Training
import XCTest

final class S2RDeltaMaskTests: XCTestCase {
  // 7 = check marker, 8 = retry marker, 0 = end; prompt ids 90, 91.
  let parser = S2RActionParser(markers: S2RMarkers(check: [[7]], retry: [[8]], stopIDs: [0]))

  func testThreeAttemptTrajectory() {
    // s1 k v1 r s2 k v2 r s3 k v3 E, plus a template tail token 5 after the end id.
    let answer = [1, 7, 2, 8, 3, 7, 4, 8, 6, 7, 9, 0, 5]
    let w = S2RDeltaMask.weights(ids: [90, 91] + answer, promptLength: 2, parser: parser)
    XCTAssertEqual(w, [0, 0] + [0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    // Per action s1, v1, s2, v2, s3, v3 → 0, 1, 0, 1, 1, 1.
    XCTAssertEqual([0, 2, 4, 6, 8, 10].map { w[2 + $0] }, [0, 1, 0, 1, 1, 1])
  }

  func testSingleAttemptTrainsEverything() {
    let w = S2RDeltaMask.weights(ids: [90, 1, 1, 7, 2, 0], promptLength: 1, parser: parser)
    XCTAssertEqual(w, [0, 1, 1, 1, 1, 1])
    XCTAssertEqual(S2RDeltaMask.weights(ids: [90, 91], promptLength: 5, parser: parser), [0, 0])
  }
}
