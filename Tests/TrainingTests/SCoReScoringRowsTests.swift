import XCTest

@testable import Training

/// `SCoReScoringRows` on hand-built ids: where each attempt's tokens are read, and what is shared.
final class SCoReScoringRowsTests: XCTestCase {
  private func positions(_ r: SCoReScoringRows, _ range: Range<Int>) -> [[Int]] {
    range.map { [r.selection.positions[$0].sequence, r.selection.positions[$0].index, r.targets[$0]] }
  }

  /// The doc comment's example: turn 1 ends in an end-of-sequence (9) that turn 2's context replaces
  /// by the feedback (7); two episodes share turn 1.
  func testTurnOneIsReadInsideTheTurnTwoRowAndShared() {
    let r = SCoReScoringRows(
      contexts: [[[1, 2], [1, 2, 5, 7]], [[1, 2], [1, 2, 5, 7]]], samples: [[[5, 9], [6]], [[5, 9], [8]]])
    XCTAssertEqual(r.sequences, [[1, 2, 5, 7, 6], [1, 2, 5, 7, 8]])
    XCTAssertEqual(positions(r, r.ranges[0][0]), [[0, 2, 5], [0, 3, 9]])  // 9 overrides the row's 7
    XCTAssertEqual(positions(r, r.ranges[0][1]), [[0, 4, 6]])
    XCTAssertEqual(r.ranges[1][0], r.ranges[0][0])  // shared with episode 0
    XCTAssertEqual(positions(r, r.ranges[1][1]), [[1, 4, 8]])
    XCTAssertEqual(r.owns, [[true, true], [false, true]])
    XCTAssertEqual(r.selection.ranges, [0..<3, 3..<4])
  }

  /// Single-turn episodes: one row each, in order, scored from the context on — the rows of
  /// `PolicyBatch(contexts:samples:)`, identical samples included (nothing is shared).
  func testSingleTurnEpisodesKeepOneRowEach() {
    let contexts = [[[3, 4]], [[3, 4]], [[]]]
    let samples = [[[5, 6]], [[5, 6]], [[7, 8]]]
    let r = SCoReScoringRows(contexts: contexts, samples: samples)
    let plain = PolicyBatch(contexts: contexts.map { $0[0] }, samples: samples.map { $0[0] })
    XCTAssertEqual(r.sequences, plain.sequences)
    XCTAssertEqual(
      r.selection.positions.map { [$0.sequence, $0.index] },
      plain.selection.positions.map { [$0.sequence, $0.index] })
    XCTAssertEqual(r.selection.ranges, plain.selection.ranges)
    XCTAssertEqual(r.targets, [5, 6, 5, 6, 8])  // index 0 (the empty context's first token) is never scored
    XCTAssertEqual(r.owns, [[true], [true], [true]])
  }

  /// A turn-2 context that does not extend turn 1 (another rendering of it) leaves turn 1 a row of
  /// its own.
  func testTurnsThatDoNotFitGetTheirOwnRow() {
    let r = SCoReScoringRows(
      contexts: [[[1, 2], [1, 3, 5, 7]], [[1, 2], [1, 2, 5, 9, 7]]], samples: [[[5, 9], [6]], [[4], [6]]])
    XCTAssertEqual(r.sequences, [[1, 2, 5, 9], [1, 3, 5, 7, 6], [1, 2, 5, 9, 7, 6]])
    XCTAssertEqual(positions(r, r.ranges[0][0]), [[0, 2, 5], [0, 3, 9]])
    XCTAssertEqual(positions(r, r.ranges[0][1]), [[1, 4, 6]])
    // Episode 1's turn 1 ([1, 2] + [4]) is read in its turn-2 row, which holds 5 at index 2: the
    // last token, replaced there, is read with its own id (the logits at index 2 see only [1, 2]).
    XCTAssertEqual(positions(r, r.ranges[1][0]), [[2, 2, 4]])
    XCTAssertEqual(positions(r, r.ranges[1][1]), [[2, 5, 6]])
  }
}
