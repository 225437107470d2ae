import Foundation
import Rollouts
import Training
import XCTest

func s2rScored(_ spec: [(S2RActionKind, Double, Bool)], truncated: Bool = false) -> S2RScoredRollout {
  // One token per content action, a one-token marker between consecutive ones.
  var actions: [S2RScoredAction] = []
  var t = 0
  for (n, (kind, r, ok)) in spec.enumerated() {
    if n > 0 {
      let m = S2RAction(
        kind: .marker, tokenRange: t..<(t + 1), partIndex: 0, marker: kind == .verify ? .check : .retry)
      actions.append(S2RScoredAction(action: m, text: "", reward: 0))
      t += 1
    }
    let a = S2RAction(kind: kind, tokenRange: t..<(t + 1), partIndex: 2 * n + 1)
    actions.append(S2RScoredAction(action: a, text: "", attemptCorrect: ok, reward: r))
    t += 1
  }
  return S2RScoredRollout(actions: actions, truncated: truncated, isValid: true)
}

final class S2RRewardContextBaselineTests: XCTestCase {
  func testEntriesAndRunningMean() throws {
    let r = s2rScored([(.solve, -1, false), (.verify, 1, false), (.solve, 1, true)])
    let e = S2RRewardContextBaseline.entries(r)
    XCTAssertEqual(e.map(\.context), ["", "R-1", "R-1V1"])
    XCTAssertEqual(e.map(\.reward), [-1, 1, 1])

    var b = RewardContextBaseline(minCount: 10)
    b.update(Array(repeating: ("R-1", 1.0), count: 6) + Array(repeating: ("R-1", -1.0), count: 3))
    XCTAssertEqual(b.baseline("R-1"), 0)  // 9 < 10
    b.update([("R-1", -1)])
    XCTAssertEqual(b.baseline("R-1"), 0.2, accuracy: 1e-12)
    XCTAssertEqual(b.baseline(""), 0)
    let round = try JSONDecoder().decode(S2RRewardContextBaseline.self, from: JSONEncoder().encode(b))
    XCTAssertEqual(round, b)

    var w = S2RRewardContextBaseline(minCount: 1, whitelist: ["R1"])
    w.update([("R1", 1), ("R-1", 1)])
    XCTAssertEqual(w.counts, ["R1": 1])
  }
}
