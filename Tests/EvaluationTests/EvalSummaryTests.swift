import XCTest

@testable import Evaluation

final class EvalSummaryTests: XCTestCase {
  func record(_ i: Int, _ correct: [Bool], texts: [String]? = nil) -> EvalRecord {
    let attempts = correct.enumerated().map { j, c in
      EvalAttempt(text: texts?[j] ?? "y\(j)", extracted: nil, correct: c, reward: c ? 1 : 0)
    }
    return EvalRecord(
      id: "p\(i)", index: i, source: "t", task: "math", evalProtocol: "score", reference: "r",
      prompt: .text("x"),
      attempts: attempts, attemptsUsed: attempts.count, finalAnswer: nil, finalCorrect: correct.last!)
  }

  func testThreeTurnsHandComputed() throws {
    // t1 ✓✗✓✗, t2 ✓✓✗✗, t3 ✓✓✓✗ (hand counts: Acc 0.5, 0.5, 0.75; t1→t3 Δ 0.25, i→c 0.25, c→i 0).
    let rows = [[true, true, true], [false, true, true], [true, false, true], [false, false, false]]
    let records = rows.enumerated().map { record($0, $1) }
    let s = try EvalSummary.compute(
      records.reversed(), name: "m", evalProtocol: .score(turns: 3), resamples: 100)
    XCTAssertEqual(s.accuracy, [0.5, 0.5, 0.75])
    XCTAssertEqual(s.turnLabels, ["t1", "t2", "t3"])
    XCTAssertEqual(s.lastTransition?.delta, 0.25)
    XCTAssertEqual(s.lastTransition?.incorrectToCorrect, 0.25)
    XCTAssertEqual(s.lastTransition?.correctToIncorrect, 0)
    XCTAssertEqual(s.lastTransition?.fixRate, 0.5)
    XCTAssertEqual(s.accuracyIntervals?.count, 3)
    // Order of records does not matter (rows are sorted by dataset index before the bootstrap).
    XCTAssertEqual(
      s, try EvalSummary.compute(records, name: "m", evalProtocol: .score(turns: 3), resamples: 100))
    let table = s.table()
    XCTAssertTrue(table.contains("Acc@t3"))
    // Columns are aligned: every value ends at the same character column.
    let lines = table.split(separator: "\n").map(String.init)
    let header = lines[0]
    let valueEnd = header.distance(from: header.startIndex, to: header.range(of: "value")!.upperBound)
    for line in lines.dropFirst() {
      let chars = Array(line)
      XCTAssertTrue(chars.count >= valueEnd, line)
      XCTAssertNotEqual(chars[valueEnd - 1], " ", line)
      XCTAssertTrue(chars.count == valueEnd || chars[valueEnd] == " ", line)
    }
  }

  func testEditDistanceRatioMean() throws {
    let records = [
      record(0, [true, true], texts: ["kitten", "sitting"]),  // 3 / 13
      record(1, [false, false], texts: ["ab", "ab"]),  // 0
    ]
    let s = try EvalSummary.compute(records, name: "m", evalProtocol: .score(turns: 2), resamples: 10)
    XCTAssertEqual(s.editDistanceRatio!, (3.0 / 13) / 2, accuracy: 1e-12)
  }

  func testEmptyIsAnError() {
    XCTAssertThrowsError(try EvalSummary.compute([], name: "m", evalProtocol: .single))
  }

  func testProgressBar() {
    XCTAssertEqual(
      EvalProgressBar.render(done: 5, total: 10, elapsed: 2, width: 10),
      "[#####-----]   5/10  2.50 problems/s  ETA 0:02")
    XCTAssertEqual(
      EvalProgressBar.render(done: 0, total: 4, elapsed: 0, width: 4),
      "[----]  0/4  0.00 problems/s  ETA --:--")
    // A resumed run: 6 already done, 2 new in 4 s → rate 0.5/s, 2 left → 4 s.
    XCTAssertEqual(
      EvalProgressBar.render(done: 2, total: 10, elapsed: 4, width: 10, alreadyDone: 6),
      "[########--]   8/10  0.50 problems/s  ETA 0:04")
    XCTAssertEqual(EvalProgressBar.clock(83), "1:23")
    XCTAssertEqual(EvalProgressBar.clock(3725), "1:02:05")
  }
}
