import Foundation
import XCTest

@testable import Evaluation

final class HTMLReportTests: XCTestCase {
  func testEscaping() {
    XCTAssertEqual(HTMLEscape.text("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
    XCTAssertEqual(HTMLEscape.text("Δ ✓"), "Δ ✓")
  }

  func testLineChartDropsNaNAndHandlesEmpty() {
    let empty = SVGChart.line(title: "loss <x>", series: [])
    XCTAssertTrue(empty.contains("no data"))
    XCTAssertTrue(empty.contains("loss &lt;x&gt;"))
    XCTAssertFalse(empty.contains("<polyline"))
    let onlyNaN = SVGChart.line(
      title: "kl", series: [ChartSeries(name: "a", points: [(0, .nan), (1, .infinity)])])
    XCTAssertTrue(onlyNaN.contains("no data"))
    // Plot area x 56…350, y 26…184 for 360×220: (0, 1) → (56, 184), (10, 3) → (350, 26); NaN dropped.
    let svg = SVGChart.line(
      title: "reward", series: [ChartSeries(name: "m", points: [(0, 1), (5, .nan), (10, 3)])])
    XCTAssertTrue(svg.contains("points=\"56,184 350,26\""), svg)
    XCTAssertFalse(svg.lowercased().contains("nan"))
    // A constant series still gets a non-degenerate axis (y ± 1) and one point is a circle.
    let flat = SVGChart.line(title: "acc", series: [ChartSeries(name: "m", points: [(2, 0.5)])])
    XCTAssertTrue(flat.contains("<circle cx=\"203\" cy=\"105\""), flat)
  }

  func testReportFromRunDirectoryIsEscapedAndRobust() throws {
    let dir = temporaryDirectory("report")
    try
      "{\"step\":1,\"loss\":2.0,\"reward\":0.1,\"done\":true}\n{\"step\":2,\"loss\":1.5,\"reward\":0.21568003066282856}\nnot json\n"
      .write(to: dir.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
    try "{broken".write(to: dir.appendingPathComponent("summary-bad.json"), atomically: true, encoding: .utf8)
    let record = EvalRecord(
      id: "p<1>", index: 0, source: "t", task: "math", evalProtocol: "score", reference: "a&b",
      prompt: .text("x"),
      attempts: [
        EvalAttempt(text: "<script>alert(1)</script>", extracted: "1", correct: false, reward: 0),
        EvalAttempt(text: "ok", extracted: "2", correct: true, reward: 1),
      ], attemptsUsed: 2, finalAnswer: "2", finalCorrect: true)
    let summary = try EvalSummary.compute(
      [record], name: "tiny", evalProtocol: .score(turns: 2), resamples: 10)
    try EvalRunDirectory.encode(summary).write(to: dir.appendingPathComponent("summary.json"))
    try
      (FrameworkExport.jsonText(
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(record))) + "\n")
      .write(to: dir.appendingPathComponent("results.jsonl"), atomically: true, encoding: .utf8)

    let data = HTMLReport.gather(dir)
    XCTAssertEqual(data.curves.first?.metrics.keys.sorted(), ["loss", "reward"])  // booleans are not curves
    XCTAssertEqual(data.curves.first?.metrics["loss"]?.map(\.y), [2.0, 1.5])
    // Long decimals (NSDecimalNumber on Linux) are numbers too.
    let reward = try XCTUnwrap(data.curves.first?.metrics["reward"]?.map(\.y))
    XCTAssertEqual(reward.count, 2)
    XCTAssertEqual(reward[1], 0.21568003066282856, accuracy: 1e-15)
    XCTAssertEqual(data.summaries.count, 1)
    XCTAssertEqual(data.problems.count, 1)
    XCTAssertEqual(data.samples.map(\.problem), ["p<1>"])
    let html = HTMLReport.render(data, title: "run <1>")
    XCTAssertFalse(html.contains("<script"))
    XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    XCTAssertTrue(html.contains("<code>p&lt;1&gt;</code>"))
    XCTAssertTrue(html.contains("a&amp;b"))
    XCTAssertTrue(html.contains("<title>run &lt;1&gt;</title>"))
    // The stage logs a reward (one chart; no loss chart since a reward explains it) + the transitions figure.
    XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 2)
    // Acc@t1 0.0, Acc@t2 100.0, Δ 100.0 in the table.
    XCTAssertTrue(html.contains("<td>0.0</td><td>100.0</td><td>100.0</td>"), html)
    XCTAssertFalse(
      html.lowercased().contains("http://") && !html.contains("xmlns=\"http://www.w3.org/2000/svg\""))

    // An empty directory still renders, with placeholders.
    let empty = HTMLReport.render(HTMLReport.gather(temporaryDirectory("report-empty")), title: "e")
    XCTAssertTrue(empty.contains("No metrics*.jsonl files."))
    XCTAssertTrue(empty.contains("No summary*.json files."))
  }
}
