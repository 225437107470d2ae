import Datasets
import TensorCore
import XCTest

@testable import Rollouts

final class SyntheticCorpusTests: XCTestCase {
  let problem = SyntheticProblem(kind: .pairPick, difficulty: 2, operands: [7, 2, 9, 3, 1, 11], ops: [])

  /// Every character any task's corpus writes is in the fixed synthetic alphabet, so nothing
  /// becomes <unk> (a session-20 probe wrote numbers as capitals A…I, which the alphabet lacks: its
  /// base saw "<unk>+<unk>" and solved nothing, with no error anywhere).
  func testEveryKindWritesOnlyTheAlphabet() {
    let alphabet = Set(SyntheticFormat.alphabet)
    let corpus = SyntheticCorpus(
      noise: 0.5, twoTurnFraction: 0.5, copyRate: 0.5, checkInSecondTurn: true, recheckFraction: 0.5)
    var rng = SeededRNG(seed: 9)
    var gen = SeededGenerator(seed: 9)
    for kind in SyntheticKind.allCases {
      let problems = (0..<200).map { _ in SyntheticTask.problem(kind: kind, difficulty: 2, using: &gen) }
      for e in corpus.examples(problems, rng: &rng) {
        let outside = Set(e.prompt + e.completion).subtracting(alphabet)
        XCTAssertTrue(outside.isEmpty, "\(kind): \(outside.sorted()) in \(e.prompt + e.completion)")
      }
    }
  }

  /// Every example is a single attempt or a two-turn transcript; with noise 0 every attempt is the
  /// solution, so the second turn of a checking corpus is exactly "Check: …, same. " + solution.
  func testNoiseFreeTranscriptsCheckTurnOne() {
    let corpus = SyntheticCorpus(noise: 0, twoTurnFraction: 1, copyRate: 0, checkInSecondTurn: true)
    var rng = SeededRNG(seed: 3)
    let examples = corpus.examples(Array(repeating: problem, count: 20), rng: &rng)
    for e in examples {
      XCTAssertEqual(e.prompt, "L=7 2 9 3 1;T=11\n2+9. \\boxed{29}\nThere might be an error. Rewrite:\n")
      XCTAssertEqual(e.completion, "Check: T=11, 2+9=11, 11-11=0, same. 2+9. \\boxed{29}")
    }
  }

  /// With noise, the check names turn 1's own pick and is right about it, and what follows it is an
  /// attempt drawn without looking at the check: a right and a wrong turn 1 are followed by the same
  /// mix of second attempts (the base has never seen a check change what follows).
  func testChecksAreRightAndSecondTurnsIgnoreThem() throws {
    let corpus = SyntheticCorpus(noise: 0.5, twoTurnFraction: 1, copyRate: 0, checkInSecondTurn: true)
    var rng = SeededRNG(seed: 5)
    let examples = corpus.examples(Array(repeating: problem, count: 4000), rng: &rng)
    var rightAfter: [Bool: (right: Int, all: Int)] = [true: (0, 0), false: (0, 0)]
    for e in examples {
      let y1 = try XCTUnwrap(SyntheticTask.boxedAnswer(in: e.prompt))
      let turn2 = e.completion
      // The check ends at its verdict word ("same." / "not same."); the attempt follows.
      let checkEnd = try XCTUnwrap(turn2.range(of: "same.")).upperBound
      let check = String(turn2[..<checkEnd])
      XCTAssertEqual(check, SyntheticTask.checkWork(for: problem, answer: y1))
      XCTAssertEqual(check.hasSuffix(", same."), y1 == 29, check)
      let y2 = try XCTUnwrap(SyntheticTask.boxedAnswer(in: turn2))
      let r1 = y1 == 29
      rightAfter[r1]!.all += 1
      if y2 == 29 { rightAfter[r1]!.right += 1 }
    }
    let afterRight = Double(rightAfter[true]!.right) / Double(rightAfter[true]!.all)
    let afterWrong = Double(rightAfter[false]!.right) / Double(rightAfter[false]!.all)
    XCTAssertEqual(afterRight, 0.5, accuracy: 0.04)
    XCTAssertEqual(afterWrong, 0.5, accuracy: 0.04)
  }

  /// With `rewriteDiffers` a rewrite (copy rate 0) never repeats turn 1's answer, whatever the check
  /// said: after a right turn 1 it is always wrong; after a wrong slip s it is right with probability
  /// 0.5 / (1 − 0.5·P(s)). On "L=7 2 9 3 1;T=11" a slip is one of the 3 nearest pairs (sums 10, 12,
  /// 10) with P 1/6 + 1/18 each, or one of the 6 others with P 1/18, so by hand 0.667 × 0.5625 +
  /// 0.333 × 0.5145 ≈ 0.547 (without redrawing it would be 0.5).
  func testRewritesDifferFromTurnOneWhateverTheCheck() throws {
    let corpus = SyntheticCorpus(
      noise: 0.5, twoTurnFraction: 1, copyRate: 0, checkInSecondTurn: true, rewriteDiffers: true)
    var rng = SeededRNG(seed: 5)
    var rightAfter: [Bool: (right: Int, all: Int)] = [true: (0, 0), false: (0, 0)]
    for e in corpus.examples(Array(repeating: problem, count: 4000), rng: &rng) {
      let y1 = try XCTUnwrap(SyntheticTask.boxedAnswer(in: e.prompt))
      let y2 = try XCTUnwrap(SyntheticTask.boxedAnswer(in: e.completion))
      XCTAssertNotEqual(y1, y2, e.completion)
      rightAfter[y1 == 29]!.all += 1
      if y2 == 29 { rightAfter[y1 == 29]!.right += 1 }
    }
    XCTAssertEqual(rightAfter[true]!.right, 0)
    XCTAssertGreaterThan(rightAfter[true]!.all, 1800)
    let afterWrong = Double(rightAfter[false]!.right) / Double(rightAfter[false]!.all)
    XCTAssertEqual(afterWrong, 0.547, accuracy: 0.035)
  }

  func testWithoutCheckTheSecondTurnIsJustAnAttempt() {
    let corpus = SyntheticCorpus(noise: 0, twoTurnFraction: 1, copyRate: 1)
    var rng = SeededRNG(seed: 1)
    XCTAssertEqual(corpus.examples([problem], rng: &rng)[0].completion, "2+9. \\boxed{29}")
  }

  /// A recheck example is a single attempt, S²R's check marker and the check — no verdict sentence,
  /// no retry.
  func testRecheckExamplesEndAtTheCheck() {
    let corpus = SyntheticCorpus(noise: 1, twoTurnFraction: 0, recheckFraction: 1)
    var rng = SeededRNG(seed: 2)
    for e in corpus.examples(Array(repeating: problem, count: 30), rng: &rng) {
      XCTAssertEqual(e.prompt, "L=7 2 9 3 1;T=11\n")
      let parts = e.completion.components(separatedBy: "\n\nWait, let me recheck my solution.\n\n")
      XCTAssertEqual(parts.count, 2, e.completion)
      let wrong = SyntheticTask.boxedAnswer(in: parts[0])!
      XCTAssertNotEqual(wrong, 29)
      XCTAssertEqual(parts[1], SyntheticTask.checkWork(for: problem, answer: wrong))
      XCTAssertTrue(parts[1].hasSuffix("not same.") || parts[1].hasSuffix("list."), parts[1])
      XCTAssertFalse(e.completion.contains("Therefore"))
    }
  }

  /// The corpus passes its off-list share to anchor pick's slips: on "L=7 2 9 3 1;T=11" (off-list
  /// anchors 7 → 4 and 3 → 8; the pair is 2 and 9) every wrong attempt is one of them at share 1 and
  /// a wrong pair of the list written as a subtraction slip ("2, 11-2=7") at share 0.
  func testOffListShareReachesTheSlips() {
    let p = SyntheticProblem(kind: .anchorPick, difficulty: 2, operands: [7, 2, 9, 3, 1, 11], ops: [])
    for (share, offList) in [(1.0, true), (0.0, false)] {
      let corpus = SyntheticCorpus(noise: 1, twoTurnFraction: 0, offListShare: share)
      var rng = SeededRNG(seed: 2)
      for e in corpus.examples(Array(repeating: p, count: 30), rng: &rng) {
        let isOff = e.completion.hasPrefix("7, 11-7=4. ") || e.completion.hasPrefix("3, 11-3=8. ")
        XCTAssertEqual(isOff, offList, e.completion)
      }
    }
  }

  func testOldConfigsWithoutTheFieldDecode() throws {
    let json = #"{"noise":0.3,"twoTurnFraction":0.3,"copyRate":0.5}"#
    let c = try JSONDecoder().decode(SyntheticCorpus.self, from: Data(json.utf8))
    XCTAssertEqual(c, SyntheticCorpus())
  }
}
