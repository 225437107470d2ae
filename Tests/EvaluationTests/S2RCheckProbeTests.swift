import Generation
import Rollouts
import Verifiers
import XCTest

@testable import Evaluation

final class S2RCheckProbeTests: XCTestCase {
  let c = S2RTrajectory.checkMarker
  let r = S2RTrajectory.retryMarker
  let yes = "Check: 2+9=11, same. Therefore, the answer is correct."
  let no = "Check: 2+8=10, not same. Therefore, the answer is incorrect."

  /// Hand-cut: `s1 C v1 R s2 C v2` → the prefix of check k is everything through its marker, the
  /// expected text is the verification up to the next retry marker or the end.
  func testCasesOfOneTrajectory() {
    let e = S2RSFTExample(id: "p", prompt: "P\n", answer: "a" + c + no + r + "b" + c + yes, wrongAttempts: 1)
    XCTAssertEqual(
      S2RCheckProbe.cases(e),
      [
        .init(id: "p", position: 1, prefix: "P\na" + c, expected: no),
        .init(id: "p", position: 2, prefix: "P\na" + c + no + r + "b" + c, expected: yes),
      ])
    XCTAssertEqual(
      S2RCheckProbe.cases(S2RSFTExample(id: "q", prompt: "P\n", answer: "a", wrongAttempts: 0)), [])
  }

  /// `perPosition` keeps the first checks in file order at each position; `minimumChecks` skips short
  /// trajectories.
  func testSelection() {
    let one = S2RSFTExample(id: "1", prompt: "P\n", answer: "a" + c + yes, wrongAttempts: 0)
    let two = S2RSFTExample(
      id: "2", prompt: "P\n", answer: "a" + c + no + r + "b" + c + yes, wrongAttempts: 1)
    let three = S2RSFTExample(
      id: "3", prompt: "P\n", answer: "a" + c + no + r + "b" + c + no + r + "d" + c + yes, wrongAttempts: 2)
    let all = S2RCheckProbe.cases([one, two, three])
    XCTAssertEqual(all.map { "\($0.id)\($0.position)" }, ["11", "21", "22", "31", "32", "33"])
    let capped = S2RCheckProbe.cases([one, two, three], perPosition: 1)
    XCTAssertEqual(capped.map { "\($0.id)\($0.position)" }, ["11", "22", "33"])
    let long = S2RCheckProbe.cases([one, two, three], minimumChecks: 2)
    XCTAssertEqual(long.map { "\($0.id)\($0.position)" }, ["21", "22", "31", "32", "33"])
  }

  /// Continues each prefix with a fixed text.
  struct Scripted: LanguageModel {
    let replies: [String: String]
    var name: String { "scripted" }
    func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
      requests.map { q in
        guard case .text(let prefix) = q.prompt else { return [] }
        return [
          GeneratedSequence(tokens: [], text: replies[prefix] ?? "", logProbs: [], finishReason: .length)
        ]
      }
    }
  }

  /// Scored by hand: position 1 — one exact (then the model goes on with a retry), one with another
  /// list copy but the same verdict; position 2 — one exact, one with the opposite verdict.
  func testRunScoresExactAndVerdictPerPosition() async throws {
    let a = S2RSFTExample(id: "a", prompt: "A\n", answer: "x" + c + no + r + "y" + c + yes, wrongAttempts: 1)
    let b = S2RSFTExample(id: "b", prompt: "B\n", answer: "x" + c + no + r + "y" + c + yes, wrongAttempts: 1)
    let cases = S2RCheckProbe.cases([a, b])
    let model = Scripted(replies: [
      cases[0].prefix: no + r + "z",
      cases[1].prefix: yes,
      cases[2].prefix: "Check: 1+9=10, not same. Therefore, the answer is incorrect.",
      cases[3].prefix: "Check: 2+9=11, same. Therefore, the answer is incorrect.",
    ])
    XCTAssertEqual(cases.map(\.position), [1, 2, 1, 2])
    let results = try await S2RCheckProbe.run(cases, model: model, batchSize: 3)
    XCTAssertEqual(
      results,
      [
        .init(position: 1, cases: 2, exact: 1, verdictAgrees: 2),
        .init(position: 2, cases: 2, exact: 1, verdictAgrees: 1),
      ])
  }
}
