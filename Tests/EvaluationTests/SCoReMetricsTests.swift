import Generation
import Rollouts
import XCTest

@testable import Evaluation

/// A small seeded generator for the tests (SplitMix64).
struct TestRNG: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// N = 500 rows reproducing a [P] table row from its counts (c→c, c→i, i→c, i→i).
func paperRows(cc: Int, ci: Int, ic: Int, ii: Int) -> [[Bool]] {
  [[Bool]](repeating: [true, true], count: cc) + [[Bool]](repeating: [true, false], count: ci)
    + [[Bool]](repeating: [false, true], count: ic) + [[Bool]](repeating: [false, false], count: ii)
}

final class SCoReMetricsTests: XCTestCase {
  let four: [[Bool]] = [[true, true], [false, true], [true, false], [false, false]]

  func testHandExample() throws {
    XCTAssertEqual(try SCoReMetrics.accuracy(four, turn: 1), 0.5)
    XCTAssertEqual(try SCoReMetrics.accuracy(four, turn: 2), 0.5)
    let t = try SCoReMetrics.transition(four)
    XCTAssertEqual(t.delta, 0)
    XCTAssertEqual(t.incorrectToCorrect, 0.25)
    XCTAssertEqual(t.correctToIncorrect, 0.25)
    XCTAssertEqual(t.fixRate, 0.5)
    let rows: [[Bool]] = [[false, true], [false, true], [true, true], [false, false]]
    let u = try SCoReMetrics.transition(rows)
    XCTAssertEqual(u.delta, 0.5)
    XCTAssertEqual(u.incorrectToCorrect, 0.5)
    XCTAssertEqual(u.correctToIncorrect, 0)
    XCTAssertEqual(u.fixRate!, 2.0 / 3, accuracy: 1e-12)
    XCTAssertNil(try SCoReMetrics.transition([[true, false]]).fixRate)
  }

  func testPaperTable2Rows() throws {
    // (Acc@t1, Acc@t2, Δ, i→c, c→i) in %, N = 500: counts = % × 5.
    let table: [(String, Double, Double, Double, Double, Double)] = [
      ("Base model", 52.6, 41.4, -11.2, 4.6, 15.8), ("Self-Refine", 52.8, 51.8, -1.0, 3.2, 4.2),
      ("STaR w/ D+", 53.6, 54.0, 0.4, 2.6, 2.2), ("Pair-SFT w/ D_SFT", 52.4, 54.2, 1.8, 5.4, 3.6),
      ("SCoRe", 60.0, 64.4, 4.4, 5.8, 1.4),
    ]
    for (name, a1, a2, d, ic, ci) in table {
      let right1 = Int((a1 * 5).rounded())
      let nci = Int((ci * 5).rounded())
      let nic = Int((ic * 5).rounded())
      let rows = paperRows(cc: right1 - nci, ci: nci, ic: nic, ii: 500 - right1 - nic)
      let s = try SCoReMetrics.summary(name: name, correct: rows)
      XCTAssertEqual(s.problems, 500)
      XCTAssertEqual(s.accuracy[0] * 100, a1, accuracy: 1e-9, name)
      XCTAssertEqual(s.accuracy[1] * 100, a2, accuracy: 1e-9, name)
      XCTAssertEqual(s.transition!.delta * 100, d, accuracy: 1e-9, name)
      XCTAssertEqual(s.transition!.incorrectToCorrect * 100, ic, accuracy: 1e-9, name)
      XCTAssertEqual(s.transition!.correctToIncorrect * 100, ci, accuracy: 1e-9, name)
      // The paper's identity Δ = Δ^{i→c} − Δ^{c→i}.
      XCTAssertEqual(d, ic - ci, accuracy: 1e-9, name)
    }
    // SCoRe's conditional fix rate: 5.8 / 40.0 = 14.5 %.
    let score = paperRows(cc: 293, ci: 7, ic: 29, ii: 171)
    XCTAssertEqual(try SCoReMetrics.transition(score).fixRate!, 0.145, accuracy: 1e-12)
  }

  func testIdentityOnRandomMatrices() throws {
    var rng = TestRNG(state: 11)
    for _ in 0..<50 {
      let n = Int.random(in: 1...40, using: &rng)
      let rows = (0..<n).map { _ in (0..<3).map { _ in Bool.random(using: &rng) } }
      for (i, j) in [(1, 2), (1, 3), (2, 3)] {
        let t = try SCoReMetrics.transition(rows, from: i, to: j)
        XCTAssertEqual(t.delta, t.incorrectToCorrect - t.correctToIncorrect, accuracy: 1e-12)
        let direct = try SCoReMetrics.accuracy(rows, turn: j) - SCoReMetrics.accuracy(rows, turn: i)
        XCTAssertEqual(t.delta, direct, accuracy: 1e-12)
      }
    }
  }

  func testSummaryFromEpisodesAndErrors() throws {
    func attempt(_ r: Double) -> SCoReAttempt {
      SCoReAttempt(
        prompt: .text(""), text: "", tokens: [], logProbs: [], finishReason: .length, reward: r,
        extractedAnswer: nil)
    }
    let episodes = [
      SCoReEpisode(problemID: "a", sample: 0, attempts: [attempt(0), attempt(1), attempt(1)]),
      SCoReEpisode(problemID: "b", sample: 0, attempts: [attempt(1), attempt(1), attempt(0)]),
    ]
    let s = try SCoReMetrics.summary(name: "m", episodes: episodes)
    XCTAssertEqual(s.accuracy, [0.5, 1, 0.5])
    XCTAssertEqual(s.transition?.incorrectToCorrect, 0.5)
    let json = try JSONEncoder().encode(s)
    XCTAssertEqual(try JSONDecoder().decode(SCoReSummary.self, from: json), s)
    XCTAssertThrowsError(try SCoReMetrics.accuracy([], turn: 1)) {
      XCTAssertEqual($0 as? SCoReMetricsError, .empty)
    }
    XCTAssertThrowsError(try SCoReMetrics.transition([[true, true], [true]])) {
      XCTAssertEqual($0 as? SCoReMetricsError, .missingAttempt(row: 1, turn: 2, attempts: 1))
    }
    XCTAssertNil(try SCoReMetrics.summary(name: "one", correct: [[true], [false]]).transition)
  }
}
