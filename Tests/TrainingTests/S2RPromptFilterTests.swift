import Rollouts
import XCTest

@testable import Training

final class S2RPromptFilterTests: XCTestCase {
  /// The doc comment's example: five attempts per problem, range 0.2…0.8.
  func testKeepsProblemsNeitherAlwaysNorNeverSolved() {
    func problem(_ id: String, _ rights: [Bool]) -> S2RStage0Problem {
      S2RStage0Problem(
        id: id, problem: id, attempts: rights.map { S2RSampledAttempt(text: "", answer: "", correct: $0) })
    }
    let problems = [
      problem("easy", [true, true, true, true, true]),
      problem("one", [true, false, false, false, false]),
      problem("three", [true, true, false, true, false]),
      problem("hard", [false, false, false, false, false]),
      problem("none", []),
    ]
    XCTAssertEqual(problems.map(S2RPromptFilter.accuracy), [1.0, 0.2, 0.6, 0.0, 0.0])
    let table = S2RPromptFilter.accuracies(problems)
    XCTAssertEqual(table, ["easy": 1.0, "one": 0.2, "three": 0.6, "hard": 0.0, "none": 0.0])
    XCTAssertEqual(S2RPromptFilter.keptIDs(table, range: 0.2...0.8), ["one", "three"])
    XCTAssertEqual(S2RPromptFilter.keptIDs(table, range: 0...0.8), ["one", "three", "hard", "none"])
    XCTAssertEqual(S2RPromptFilter.keptIDs(table, range: 0...1).count, 5)
  }
}
