import XCTest

@testable import Evaluation

final class SCoReSummaryTableTests: XCTestCase {
  func testPercent() {
    XCTAssertEqual(SCoReSummaryTable.percent(-0.112), "-11.2")
    XCTAssertEqual(SCoReSummaryTable.percent(-0.0001), "0.0")
    XCTAssertEqual(SCoReSummaryTable.percent(0.644), "64.4")
    XCTAssertEqual(SCoReSummaryTable.percent(1), "100.0")
  }

  func testPaperLayout() throws {
    let base = try SCoReMetrics.summary(
      name: "Base model", correct: paperRows(cc: 184, ci: 79, ic: 23, ii: 214))
    let score = try SCoReMetrics.summary(name: "SCoRe", correct: paperRows(cc: 293, ci: 7, ic: 29, ii: 171))
    let expected = """
      method      Acc@t1  Acc@t2  Δ(t1,t2)  Δ^{i→c}(t1,t2)  Δ^{c→i}(t1,t2)
      Base model    52.6    41.4     -11.2             4.6            15.8
      SCoRe         60.0    64.4       4.4             5.8             1.4

      """
    XCTAssertEqual(SCoReSummaryTable.render([base, score]), expected)
    let single = try SCoReMetrics.summary(name: "x", correct: [[true]])
    XCTAssertTrue(
      SCoReSummaryTable.render([single]).hasSuffix(
        "x        100.0       –         –               –               –\n"))
  }
}
