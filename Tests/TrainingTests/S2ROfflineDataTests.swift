import Datasets
import Foundation
import Models
import Rollouts
import Tokenizers
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

  /// MATH-style records with a chat BPE model whose `"\n\nWait"` is one token: the prompt is encoded
  /// with special tokens, responses end in `<|im_end|>`, markers are found by text, and `.math`
  /// records grade "0.5" right against "\\frac{1}{2}" (an exact compare would not); then one
  /// offline step trains on them.
  func testMathRecordsWithAChatLayoutAndOneOfflineStep() throws {
    let t = try S2RRLProblemTests.tokenizer()
    let layout = S2RResponseLayout.chat(t, endOfTurn: "<|im_end|>", textMarkers: true)
    let p = S2RRLProblemTests.problems[0]
    let record = S2ROfflineRecord(
      id: p.id, prompt: p.text, answer: p.answer,
      responses: [
        "It is \\boxed{0.5}\n\nWait, half of one. Therefore, the answer is correct.",
        "It is \\boxed{3}\n\nWait, too big. Therefore, the answer is incorrect.",
      ],
      scores: [true, false], check: .math)
    let (samples, stats) = S2ROfflineData.prepare(
      [record], tokenizer: t, options: S2ROfflineDataOptions(accuracyBand: 0...1), layout: layout)
    XCTAssertEqual(stats.positives, 1)
    XCTAssertEqual(stats.negatives, 1)
    XCTAssertEqual(stats.rejected, 0)
    XCTAssertEqual(samples.map(\.outcomeReward), [1, -1])
    for s in samples {
      XCTAssertEqual(s.promptIDs, t.encode(p.text, options: .special))
      XCTAssertEqual(s.promptIDs.filter { $0 == 256 }.count, 3)  // three <|im_start|> tokens
      XCTAssertEqual(s.responseIDs.last, 257)
      XCTAssertEqual(s.parsed.actions.map(\.kind), [.solve, .marker, .verify])
    }
    // The merged "\n\nWait" token opens the marker.
    let marker = samples[0].parsed.actions[1].tokenRange
    XCTAssertEqual(samples[0].responseIDs[marker.lowerBound], 259)
    // Read back from JSONL, a record without `check` is exact (synthetic files are unchanged).
    let old = try JSONDecoder().decode(
      S2ROfflineRecord.self,
      from: Data(#"{"id":"a","prompt":"p","answer":"5","responses":[],"scores":[]}"#.utf8))
    XCTAssertNil(old.check)
    XCTAssertFalse(old.isCorrect("5.0"))
    XCTAssertFalse(String(decoding: try JSONEncoder().encode(old), as: UTF8.self).contains("check"))

    let policy = S2RRLProblemTests.model(seed: 1)
    let before = policy.namedParameters().map { $0.tensor.toArray() as [Float] }
    let trainer = S2ROfflineRLTrainer(
      policy: policy, reference: S2RRLProblemTests.model(seed: 2), samples: samples,
      config: S2ROfflineRLConfig(level: .process, batchSize: 2, learningRate: 1e-2, warmupSteps: 0))
    try trainer.train()
    XCTAssertEqual(trainer.step, 1)
    XCTAssertTrue(before != policy.namedParameters().map { $0.tensor.toArray() as [Float] })
  }
}
