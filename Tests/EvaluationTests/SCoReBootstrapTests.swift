import XCTest

@testable import Evaluation

final class SCoReBootstrapTests: XCTestCase {
  func testConstantDataGivesDegenerateInterval() throws {
    var rng = TestRNG(state: 1)
    let rows = [[Bool]](repeating: [true, true], count: 10)
    let ci = try SCoReBootstrap.interval(rows: rows, using: &rng) { try SCoReMetrics.accuracy($0, turn: 1) }
    XCTAssertEqual(ci, SCoReInterval(low: 1, high: 1))
  }

  func testTwoRowsHitBothExtremes() throws {
    // Resampled mean of {1, 0}: 0 w.p. 1/4, 0.5 w.p. 1/2, 1 w.p. 1/4 → 2.5 % and 97.5 % quantiles 0 and 1.
    var rng = TestRNG(state: 2)
    let ci = try SCoReBootstrap.interval(rows: [[true], [false]], resamples: 2000, using: &rng) {
      try SCoReMetrics.accuracy($0, turn: 1)
    }
    XCTAssertEqual(ci, SCoReInterval(low: 0, high: 1))
  }

  func testMatchesNormalApproximationAndIsSeeded() throws {
    // 400 problems, half right: standard error √(0.25/400) = 0.025 → 95 % ≈ 0.5 ± 0.049.
    let rows = (0..<400).map { [$0 % 2 == 0] }
    var rng = TestRNG(state: 3)
    let ci = try SCoReBootstrap.interval(rows: rows, using: &rng) { try SCoReMetrics.accuracy($0, turn: 1) }
    XCTAssertEqual(ci.low, 0.451, accuracy: 0.012)
    XCTAssertEqual(ci.high, 0.549, accuracy: 0.012)
    var again = TestRNG(state: 3)
    XCTAssertEqual(
      try SCoReBootstrap.interval(rows: rows, using: &again) { try SCoReMetrics.accuracy($0, turn: 1) }, ci)
  }

  func testSummaryIntervalsContainPointEstimates() throws {
    var gen = TestRNG(state: 4)
    let rows = (0..<200).map { _ in [Bool.random(using: &gen), Bool.random(using: &gen)] }
    var rng = TestRNG(state: 5)
    let s = try SCoReBootstrap.withIntervals(
      SCoReMetrics.summary(name: "m", correct: rows), correct: rows, resamples: 500, using: &rng)
    XCTAssertEqual(s.accuracyIntervals?.count, 2)
    for (acc, ci) in zip(s.accuracy, s.accuracyIntervals!) {
      XCTAssertLessThanOrEqual(ci.low, acc)
      XCTAssertGreaterThanOrEqual(ci.high, acc)
      XCTAssertLessThan(ci.high - ci.low, 0.2)
    }
    let d = s.transition!.delta
    XCTAssertLessThanOrEqual(s.deltaInterval!.low, d)
    XCTAssertGreaterThanOrEqual(s.deltaInterval!.high, d)
  }
}
