import TensorCore
import XCTest

@testable import Evaluation

/// The multi-seed bootstrap (`SCoReBootstrap.groupMeans`) against hand-computed cases and against
/// the exact bootstrap distribution, enumerated for tiny groups.
final class SCoReBootstrapGroupsTests: XCTestCase {
  static func accuracy(_ rows: [[Bool]]) -> Double { (try? SCoReMetrics.accuracy(rows, turn: 1)) ?? .nan }
  static func delta(_ rows: [[Bool]]) -> Double { (try? SCoReMetrics.transition(rows).delta) ?? .nan }

  func testAllRightOnEverySeedIsOne() {
    var rng = SeededRNG(seed: 1)
    let groups = [[[Bool]]](repeating: [[Bool]](repeating: [true, true], count: 7), count: 2)
    let m = SCoReBootstrap.groupMeans(groups: groups, statistics: [Self.accuracy, Self.delta], using: &rng)
    XCTAssertEqual(m[0], .init(mean: 1, perGroup: [1, 1], interval: .init(low: 1, high: 1)))
    XCTAssertEqual(m[1], .init(mean: 0, perGroup: [0, 0], interval: .init(low: 0, high: 0)))
  }

  /// Seed 1: rows {1, 0}, resampled accuracy 0, ½, 1 with probabilities ¼, ½, ¼; seed 2: always 1.
  /// Mean (½ + 1)/2 = 0.75; 2.5 % / 97.5 % quantiles of (x + 1)/2: (0 + 1)/2 and (1 + 1)/2.
  func testHandComputedTwoSeeds() {
    var rng = SeededRNG(seed: 2)
    let m = SCoReBootstrap.groupMeans(
      groups: [[[true], [false]], [[true], [true]]], statistics: [Self.accuracy], resamples: 2000,
      using: &rng)[0]
    XCTAssertEqual(m.mean, 0.75)
    XCTAssertEqual(m.perGroup, [0.5, 1])
    XCTAssertEqual(m.interval, SCoReInterval(low: 0.5, high: 1))
  }

  /// Seed 1 fixes one problem (Δ = +1 on its only row), seed 2 neither fixes nor breaks anything:
  /// every resample gives Δ = (1 + 0)/2, so the interval is a point.
  func testPairedDeltaKeepsRowsWhole() {
    var rng = SeededRNG(seed: 3)
    let m = SCoReBootstrap.groupMeans(
      groups: [[[false, true]], [[true, true], [false, false]]], statistics: [Self.delta], using: &rng)[0]
    XCTAssertEqual(m.mean, 0.5)
    XCTAssertEqual(m.interval, SCoReInterval(low: 0.5, high: 0.5))
  }

  func testOneGroupDrawsExactlyLikeInterval() throws {
    var gen = SeededRNG(seed: 4)
    let rows = (0..<60).map { _ in [Bool.random(using: &gen), Bool.random(using: &gen)] }
    var a = SeededRNG(seed: 5)
    var b = SeededRNG(seed: 5)
    let single = try SCoReBootstrap.interval(rows: rows, resamples: 700, using: &a) {
      try SCoReMetrics.transition($0).delta
    }
    let grouped = SCoReBootstrap.groupMeans(
      groups: [rows], statistics: [Self.delta], resamples: 700, using: &b)[0]
    XCTAssertEqual(grouped.interval, single)
    XCTAssertEqual(grouped.mean, Self.delta(rows))
  }

  func testSameSeedSameIntervalsAndStatisticsShareResamples() {
    var gen = SeededRNG(seed: 6)
    let groups = (0..<3).map { _ in
      (0..<50).map { _ in [Bool.random(using: &gen), Bool.random(using: &gen)] }
    }
    var a = SeededRNG(seed: 7)
    var b = SeededRNG(seed: 7)
    let x = SCoReBootstrap.groupMeans(groups: groups, statistics: [Self.accuracy, Self.delta], using: &a)
    let y = SCoReBootstrap.groupMeans(groups: groups, statistics: [Self.accuracy, Self.delta], using: &b)
    XCTAssertEqual(x, y)
    // Asking for Δ alone consumes the same draws, so its interval is unchanged.
    var c = SeededRNG(seed: 7)
    XCTAssertEqual(
      SCoReBootstrap.groupMeans(groups: groups, statistics: [Self.delta], using: &c)[0], x[1])
    for m in x {
      XCTAssertLessThanOrEqual(m.interval.low, m.mean)
      XCTAssertGreaterThanOrEqual(m.interval.high, m.mean)
    }
  }

  /// A group whose statistic is undefined (no rows, or NaN on every sample) is left out of the means.
  func testUndefinedGroupsAreLeftOut() {
    var rng = SeededRNG(seed: 8)
    let nanUnlessRight: ([[Bool]]) -> Double = { rows in rows.contains { $0[0] } ? Self.accuracy(rows) : .nan
    }
    let m = SCoReBootstrap.groupMeans(
      groups: [[[true], [true]], [[false]], []], statistics: [nanUnlessRight], using: &rng)[0]
    XCTAssertEqual(m.mean, 1)
    XCTAssertTrue(m.perGroup[1].isNaN && m.perGroup[2].isNaN)
    XCTAssertEqual(m.interval, SCoReInterval(low: 1, high: 1))
  }

  /// Against brute force: every one of the ∏ n_g^{n_g} equally likely resamples enumerated, the
  /// exact distribution of the mean, and its 2.5 % / 97.5 % quantiles. With B = 4000 the Monte Carlo
  /// order statistics land on the same values whenever the exact CDF stays ≥ 5 standard errors
  /// away from 0.025 and 0.975 at the quantiles (checked, so the comparison is meaningful).
  func testMatchesExactBootstrapDistributionForTinyGroups() {
    let cases: [(name: String, groups: [[[Bool]]], stat: ([[Bool]]) -> Double)] = [
      ("accuracy", [[[true], [false]], [[true], [false], [false]]], Self.accuracy),
      (
        "delta",
        [
          [[false, true], [true, false], [true, true]], [[false, true], [true, false], [false, false]],
        ],
        Self.delta
      ),
    ]
    let b = 4000
    for c in cases {
      var counts: [Double: Int] = [:]
      var total = 0
      func walk(_ g: Int, _ acc: Double) {
        if g == c.groups.count {
          counts[acc / Double(c.groups.count), default: 0] += 1
          total += 1
          return
        }
        let rows = c.groups[g]
        let n = rows.count
        for code in 0..<Int(pow(Double(n), Double(n))) {
          var x = code
          var sample: [[Bool]] = []
          for _ in 0..<n {
            sample.append(rows[x % n])
            x /= n
          }
          walk(g + 1, acc + c.stat(sample))
        }
      }
      walk(0, 0)
      let values = counts.keys.sorted()
      var cdf: [Double] = []
      var run = 0
      for v in values {
        run += counts[v]!
        cdf.append(Double(run) / Double(total))
      }
      let se = (0.025 * 0.975 / Double(b)).squareRoot()
      let lo = cdf.firstIndex { $0 >= 0.025 }!
      let hi = cdf.firstIndex { $0 >= 0.975 }!
      for (i, p) in [(lo, 0.025), (hi, 0.975)] {
        XCTAssertGreaterThan(cdf[i] - p, 5 * se, "\(c.name): exact CDF too close to \(p) to compare")
        if i > 0 { XCTAssertGreaterThan(p - cdf[i - 1], 5 * se, "\(c.name): exact CDF too close to \(p)") }
      }
      var rng = SeededRNG(seed: 9)
      let m = SCoReBootstrap.groupMeans(groups: c.groups, statistics: [c.stat], resamples: b, using: &rng)[0]
      XCTAssertEqual(m.interval.low, values[lo], accuracy: 1e-12, c.name)
      XCTAssertEqual(m.interval.high, values[hi], accuracy: 1e-12, c.name)
    }
  }
}
