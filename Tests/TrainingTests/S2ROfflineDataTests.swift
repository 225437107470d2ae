import Datasets
import Foundation
import Rollouts
import Training
import XCTest

/// Offline-RL data selection (spec §5.2–5.3) on hand-built trajectories of the synthetic format.
final class S2ROfflineDataTests: XCTestCase {
  static let tokenizer = SyntheticFormat.tokenizer()
  static let check = SyntheticFormat.checkMarker
  static let retry = SyntheticFormat.retryMarker
  static let wrong = "Check: 4 " + SyntheticTask.incorrectVerdict
  static let right = "Check: 5 " + SyntheticTask.correctVerdict

  /// Problem accuracy 0.5 (in the band): A retries after a confirmed right attempt (R-V+R+V+R-V+,
  /// cut to R-V+R+V+), B is a negative R-V-, C is malformed (R-R+, rejected), D is R+V+.
  static let inBand = S2ROfflineRecord(
    id: "p1", prompt: "2+3=?\n", answer: "5",
    responses: [
      "\\boxed{4}" + check + wrong + retry + "\\boxed{5}" + check + right + retry + "\\boxed{6}" + check
        + wrong.replacingOccurrences(of: "4", with: "6"),
      "\\boxed{4}" + check + right.replacingOccurrences(of: "5", with: "4"),
      "\\boxed{4}" + retry + "\\boxed{5}",
      "\\boxed{5}" + check + right,
    ],
    scores: [true, false, false, true])
  /// Accuracy 1: outside [0.1, 0.7], dropped whole.
  static let tooEasy = S2ROfflineRecord(
    id: "p2", prompt: "1+1=?\n", answer: "2", responses: ["\\boxed{2}"], scores: [true])

  func testPrepareFiltersCutsRejectsAndBaselines() {
    let options = S2ROfflineDataOptions(baselineKey: .position, baselineMinCount: 1, bonuses: false)
    let (samples, stats) = S2ROfflineData.prepare(
      [Self.inBand, Self.tooEasy], tokenizer: Self.tokenizer, options: options)
    XCTAssertEqual(stats.problems, 2)
    XCTAssertEqual(stats.problemsInBand, 1)
    XCTAssertEqual(stats.responses, 4)
    XCTAssertEqual(stats.rejected, 1)
    XCTAssertEqual(stats.positives, 2)
    XCTAssertEqual(stats.negatives, 1)
    XCTAssertEqual(stats.negativesDropped, 0)
    XCTAssertEqual(samples.map(\.positive), [true, true, false])
    XCTAssertEqual(samples.map(\.outcomeReward), [1, 1, -1])

    // A was cut after its first R+V+: four content actions, then the stop id.
    let a = samples[0]
    XCTAssertEqual(a.parsed.contentActions.count, 4)
    XCTAssertEqual(a.responseIDs.last, Self.tokenizer.eosTokenID)
    let cut = Self.tokenizer.decode(Array(a.responseIDs.dropLast()))
    // The verification keeps the newlines before the retry marker ("Let me try again.\n\n").
    XCTAssertEqual(
      cut,
      "\\boxed{4}" + Self.check + Self.wrong + Self.retry + "\\boxed{5}" + Self.check + Self.right + "\n\n")

    // Position baselines over A (−1, 1, 1, 1), D (1, 1), B (−1, −1): b1 = −1/3, b2 = 1/3, b3 = b4 = 1.
    func content(_ s: S2ROfflineSample) -> [Double] {
      zip(s.parsed.actions, s.actionRewards).filter { $0.0.kind != .marker }.map(\.1)
    }
    let expected: [[Double]] = [[-2.0 / 3, 2.0 / 3, 0, 0], [4.0 / 3, 2.0 / 3], [-2.0 / 3, -4.0 / 3]]
    for (s, e) in zip(samples, expected) {
      let got = content(s)
      XCTAssertEqual(got.count, e.count, s.id)
      for (x, y) in zip(got, e) { XCTAssertEqual(x, y, accuracy: 1e-12) }
    }
  }

  func testBonusesDoubleFlipsAndVerifiedRightAttempts() {
    let (samples, _) = S2ROfflineData.prepare(
      [Self.inBand], tokenizer: Self.tokenizer,
      options: S2ROfflineDataOptions(baselineKey: .position, baselineMinCount: 100))
    // Baselines 0 (groups below 100 members). A: R-V+R+V+ → −1, 1, 2 (wrong → right), 2 (verifies a
    // right attempt); D: R+V+ → 1, 2; B: R-V- → −1, −1.
    let content = samples.map { s in
      zip(s.parsed.actions, s.actionRewards).filter { $0.0.kind != .marker }.map(\.1)
    }
    XCTAssertEqual(content, [[-1, 1, 2, 2], [1, 2], [-1, -1]])
  }
}
