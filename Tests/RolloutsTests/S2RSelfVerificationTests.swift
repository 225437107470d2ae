import Rollouts
import XCTest

final class S2RSelfVerificationTests: XCTestCase {
  // Ids: 7 check, 8 retry, 0 stop; 1 = attempt token, 2 = "said correct", 3 = "said incorrect".
  let parser = S2RActionParser(markers: S2RMarkers(check: [[7]], retry: [[8]], stopIDs: [0]))
  func decode(_ ids: [Int]) -> String {
    ids.map {
      $0 == 2 ? "Therefore, the answer is correct. " : $0 == 3 ? "Therefore, the answer is incorrect. " : "x"
    }
    .joined()
  }

  func testStopsAtOwnCorrectVerdict() {
    let sv = S2RSelfVerification(parser: parser, budget: S2RInferenceBudget(maxAttempts: 2, maxTokens: 100))
    let d = sv.decide(response: [1, 7, 3, 8, 1, 7, 2, 8, 1], decode: decode)
    XCTAssertEqual(d, S2RStopDecision(reason: .verifiedCorrect, keep: 7, attemptsUsed: 2))
  }

  func testAttemptTokenAndEOSBudgets() {
    let sv = S2RSelfVerification(parser: parser, budget: S2RInferenceBudget(maxAttempts: 1, maxTokens: 6))
    XCTAssertEqual(
      sv.decide(response: [1, 7, 3, 8, 1], decode: decode),
      S2RStopDecision(reason: .attemptBudget, keep: 3, attemptsUsed: 1))
    XCTAssertEqual(
      sv.decide(response: [1, 7, 1, 0, 5], decode: decode),
      S2RStopDecision(reason: .endOfSequence, keep: 4, attemptsUsed: 1))
    XCTAssertEqual(
      sv.decide(response: [1, 1, 1, 7, 1, 1, 1], decode: decode),
      S2RStopDecision(reason: .tokenBudget, keep: 6, attemptsUsed: 1))
    XCTAssertEqual(sv.decide(response: [1, 7, 3], decode: decode).reason, nil)
  }

  func testRunLoopWithScriptedContinuation() async throws {
    let sv = S2RSelfVerification(parser: parser, budget: S2RInferenceBudget(maxAttempts: 3, maxTokens: 100))
    var chunks: [[Int]] = [[1, 7, 3], [8, 1, 7], [2, 8, 1, 1]]
    var prefixes: [[Int]] = []
    let (resp, d) = try await sv.run(prompt: [9], decode: decode) { prefix in
      prefixes.append(prefix)
      return chunks.isEmpty ? [] : chunks.removeFirst()
    }
    XCTAssertEqual(prefixes, [[9], [9, 1, 7, 3], [9, 1, 7, 3, 8, 1, 7]])
    XCTAssertEqual(resp, [1, 7, 3, 8, 1, 7, 2])
    XCTAssertEqual(d.reason, .verifiedCorrect)
    XCTAssertEqual(d.attemptsUsed, 2)
    // A continuation that returns nothing ends the loop.
    let (r2, d2) = try await sv.run(prompt: [], decode: decode) { _ in [] }
    XCTAssertEqual(r2, [])
    XCTAssertEqual(d2.reason, .noProgress)
  }
}
