import Foundation
import XCTest

@testable import Evaluation

/// The report reads like a results section: tables first with the run's numbers, one bar pair per
/// method, a few named curves per stage, legends that do not overlap.
final class HTMLReportLayoutTests: XCTestCase {
  /// A small run directory in the demo's layout, with hand-chosen outcomes.
  func writeRun() throws -> URL {
    let dir = temporaryDirectory("report-layout")
    let fm = FileManager.default
    for sub in ["results", "base", "score"] {
      try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    func put(_ text: String, _ name: String) throws {
      try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    try put(
      """
      {"score": {"score": {"acc_t1": 0.25, "acc_t2": 0.75, "delta": 0.5, "delta_i2c": 0.5, "delta_c2i": 0.0},
                 "base": {"acc_t1": 1.0, "acc_t2": 1.0, "delta": 0.0, "delta_i2c": 0.0, "delta_c2i": 0.0}},
       "s2r": {"s2r_bi": {"first_acc": 0.0, "final_acc": 1.0, "verification_acc": 0.5, "avg_attempts": 2}},
       "seconds": 12.4}
      """, "tables.json")
    try put("{\"seed\": 7}", "config.json")
    // base: every turn right → every bootstrap interval of accuracy is [1, 1], of Δ [0, 0].
    try put(
      String(
        repeating: "{\"problem\":\"1+1=?\",\"answer\":2,\"y1\":\"2\",\"y2\":\"2\",\"r1\":1,\"r2\":1}\n",
        count: 3),
      "results/base.jsonl")
    // s2r_bi: first attempt always wrong, final always right → first [0, 0], final [1, 1].
    try put(
      String(
        repeating:
          "{\"problem\":\"2+2=?\",\"answer\":4,\"response\":\"5 no 4\",\"attemptsUsed\":2,\"record\":{\"attemptsCorrect\":[false,true],\"finalCorrect\":true,\"verdicts\":[\"incorrect\",null]}}\n",
        count: 2), "results/s2r_bi.jsonl")
    try put(
      "{\"step\":1,\"reward_t1\":0.1,\"reward_t2\":0.2,\"kl_t1\":0.01,\"grad_norm\":3,\"lr\":0.001,\"beta2\":0.1}\n"
        + "{\"step\":2,\"reward_t1\":0.3,\"reward_t2\":0.4,\"kl_t1\":0.02,\"grad_norm\":2,\"lr\":0.001,\"beta2\":0.1}\n",
      "score/metrics.jsonl")
    try put(
      "{\"step\":1,\"nll\":3.0,\"loss\":3.0,\"kl\":0,\"grad_norm\":1}\n{\"step\":2,\"nll\":2.0,\"loss\":2.0,\"kl\":0,\"grad_norm\":1}\n",
      "base/metrics.jsonl")
    return dir
  }

  func testTablesComeFirstAndHoldTheRunsNumbers() throws {
    let data = HTMLReport.gather(try writeRun())
    let t = try XCTUnwrap(data.tables)
    XCTAssertEqual(t.score.map(\.name), ["base", "score"])  // README order: base first
    XCTAssertEqual(t.score[1].accT2, 0.75)
    XCTAssertEqual(t.score[0].intervals["acc_t1"], SCoReInterval(low: 1, high: 1))
    XCTAssertEqual(t.score[0].intervals["delta"], SCoReInterval(low: 0, high: 0))
    XCTAssertTrue(t.score[1].intervals.isEmpty)  // no results/score.jsonl → no intervals
    XCTAssertEqual(t.s2r[0].intervals["first_acc"], SCoReInterval(low: 0, high: 0))
    XCTAssertEqual(t.s2r[0].intervals["final_acc"], SCoReInterval(low: 1, high: 1))
    XCTAssertTrue(data.facts.contains { $0.name == "seed" && $0.value == "7" })
    XCTAssertTrue(data.facts.contains { $0.name == "wall time" && $0.value == "12 s" })

    let html = HTMLReport.render(data, title: "t")
    let pos = { (s: String) in try XCTUnwrap(html.range(of: s)).lowerBound }
    // Tables, then figures, then training curves, then samples.
    XCTAssertLessThan(try pos("id=\"score-table\""), try pos("id=\"s2r-table\""))
    XCTAssertLessThan(try pos("id=\"s2r-table\""), try pos("<svg"))
    XCTAssertLessThan(try pos("Figure 2."), try pos("<h2>Training</h2>"))
    XCTAssertLessThan(try pos("<h2>Training</h2>"), try pos("<h2>Sample trajectories</h2>"))
    // Table 1 rows: SCoRe 25.0 / 75.0 / 50.0 / 50.0 / 0.0 without intervals; base with [100.0, 100.0].
    XCTAssertTrue(
      html.contains(
        "<td class=\"l\" title=\"score\">SCoRe</td><td>25.0</td><td>75.0</td><td>50.0</td><td>50.0</td><td>0.0</td>"
      ),
      html)
    XCTAssertTrue(html.contains("<td>100.0<br><small>[100.0, 100.0]</small></td>"))
    // Table 2: first 0.0 [0.0, 0.0], final 100.0 [100.0, 100.0], verification 50.0, attempts 2.
    XCTAssertTrue(
      html.contains(
        "<td>0.0<br><small>[0.0, 0.0]</small></td><td>100.0<br><small>[100.0, 100.0]</small></td><td>50.0</td><td>2</td>"
      ), html)
  }

  /// A row's `ci` in tables.json (written by `recheck demo`, e.g. of a mean over seeds) is shown as
  /// given, in place of intervals bootstrapped from results files.
  func testIntervalsGivenInTablesJSONWin() throws {
    let dir = try writeRun()
    try """
    {"score": {"base": {"acc_t1": 1.0, "acc_t2": 1.0, "delta": 0.0, "delta_i2c": 0.0, "delta_c2i": 0.0,
                        "ci": {"delta": [-0.25, 0.125], "acc_t1": [0.5, 1]}}},
     "s2r": {"s2r_bi": {"first_acc": 0.0, "final_acc": 1.0, "verification_acc": 0.5, "avg_attempts": 2,
                        "ci": {"final_acc": [0.75, 1], "final_minus_first": [0.5, 1]}}}, "seconds": 1}
    """.write(to: dir.appendingPathComponent("tables.json"), atomically: true, encoding: .utf8)
    let t = try XCTUnwrap(HTMLReport.gather(dir).tables)
    XCTAssertEqual(t.score[0].intervals["delta"], SCoReInterval(low: -0.25, high: 0.125))
    XCTAssertEqual(t.score[0].intervals["acc_t1"], SCoReInterval(low: 0.5, high: 1))
    XCTAssertNil(t.score[0].intervals["acc_t2"])
    XCTAssertEqual(t.s2r[0].intervals["final_acc"], SCoReInterval(low: 0.75, high: 1))
    XCTAssertNil(t.s2r[0].intervals["first_acc"])
  }

  func testOneBarPairPerMethodWithProportionalHeights() throws {
    let svg = SVGChart.groupedBars(
      title: "x", series: ["i→c", "c→i"],
      groups: [BarGroup(name: "a", values: [0.1, 0.2]), BarGroup(name: "b", values: [0.05, 0])],
      plotHeight: 200)
    // Largest value 0.2 spans the 200 px plot: 0.1 → 100, 0.2 → 200, 0.05 → 50, 0 → 0.
    XCTAssertEqual(attribute("height", of: "rect class=\"bar\"", in: svg), [100, 200, 50, 0])
    // The report draws one pair per SCoRe-layout method and one per S²R method.
    let html = HTMLReport.render(HTMLReport.gather(try writeRun()), title: "t")
    XCTAssertEqual(html.components(separatedBy: "class=\"bar\"").count - 1, 2 * 2 + 2)
  }

  func testCurvesAreChosenByName() {
    let p: [(x: Double, y: Double)] = [(1, 1), (2, 2)]
    let rl = HTMLReportCurves.select(
      ["reward_t1": p, "reward_t2": p, "kl_t1": p, "grad_norm": p, "lr": p, "beta2": p, "phase_step": p])
    XCTAssertEqual(rl.map(\.title), ["reward", "KL to the reference"])
    XCTAssertEqual(
      rl.map { $0.series.map(\.name) }, [["reward, turn 1", "reward, turn 2"], ["kl, turn 1"]])
    let sft = HTMLReportCurves.select(["nll": p, "loss": p, "kl": p, "grad_norm": p, "tokens": p])
    XCTAssertEqual(sft.map(\.title), ["KL to the reference", "training loss (nll)"])
    // A KL that stays 0 is left out.
    let zeroKL = HTMLReportCurves.select(["nll": p, "kl": [(1, 0), (2, 0)]])
    XCTAssertEqual(zeroKL.map(\.title), ["training loss (nll)"])
    let s2r = HTMLReportCurves.select([
      "attempts": p, "first_acc": p, "final_acc": p, "loss": p, "clip_fraction": p,
    ])
    XCTAssertEqual(s2r.map(\.title), ["accuracy", "attempts per problem"])
    XCTAssertTrue(HTMLReportCurves.select(["lr": p]).isEmpty)
    // Pair-SFT: one accuracy point (its sampling phase), then the SFT loss over its steps.
    let pairSFT = HTMLReportCurves.select(["acc_t1": [(1, 0.42)], "nll": p, "kl": [(2, 0), (3, 0)]])
    XCTAssertEqual(pairSFT.map(\.title), ["training loss (nll)"])
  }

  func testLegendsDoNotOverlap() {
    let names = ["a very long metric name that would collide", "reward_t2", "kl_t1"]
    let line = SVGChart.line(
      title: "t", series: names.map { ChartSeries(name: $0, points: [(0, 0), (1, 1)]) }, width: 272,
      height: 190)
    // One legend row per series, 14 px apart, and the box grows to hold them.
    XCTAssertEqual(attribute("y", of: "rect", in: line).suffix(3), [174, 188, 202])
    XCTAssertTrue(line.contains("height=\"218\""), line)
    let bars = SVGChart.groupedBars(
      title: "t", series: ["Δ i→c (fixed)", "Δ c→i (broken)"],
      groups: [BarGroup(name: "m", values: [0.1, 0.2])])
    // Legend swatches at x 44 and 44 + 16 + 13·7 + 18 = 169: the first label (13 characters) ends before.
    XCTAssertEqual(attribute("x", of: "rect class=\"lg\"", in: bars), [44, 169])
  }

  /// Numeric values of `name` in every element starting with `<prefix`.
  func attribute(_ name: String, of prefix: String, in svg: String) -> [Double] {
    svg.components(separatedBy: "<" + prefix).dropFirst().compactMap { part in
      guard let r = part.range(of: " \(name)=\"") else { return nil }
      return Double(part[r.upperBound...].prefix { $0 != "\"" })
    }
  }
}
