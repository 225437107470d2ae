import Generation
import Rollouts
import TensorCore
import Tokenizers
import XCTest

@testable import Training

final class SCoReBaselineDataTests: XCTestCase {
  let prompts = SCoRePromptSet.synthetic(firstTurn: "Add.", correction: "Fix.")
  let problems = [
    SCoReProblem(id: "p", statement: "2+3", answer: "5"),
    SCoReProblem(id: "q", statement: "1+1", answer: "2"),
  ]

  func testStarKeepsIncorrectToCorrectAndOptionallyCorrectToCorrect() throws {
    let traces = [
      scoreEpisode("p", 0, [(0, 1), (1, 1)], texts: ["6", "5"]),
      scoreEpisode("p", 1, [(1, 1), (1, 1)], texts: ["5", "5!"]),
      scoreEpisode("p", 2, [(1, 1), (0, 1)], texts: ["5", "4"]),
      scoreEpisode("q", 0, [(0, 1), (0, 1)], texts: ["3", "4"]),
    ]
    let d = try SCoReBaselineData.star(
      traces: traces, problems: problems, prompts: prompts, layout: .chat, includeCorrectToCorrect: false)
    XCTAssertEqual(
      d,
      [
        SCoReSFTExample(
          problemID: "p", kind: .incorrectToCorrect,
          prompt: .chat([.user("Add.\n\n2+3"), .assistant("6"), .user("Fix.")]), target: "5")
      ])
    let plus = try SCoReBaselineData.star(
      traces: traces, problems: problems, prompts: prompts, layout: .text, includeCorrectToCorrect: true)
    XCTAssertEqual(plus.map(\.target), ["5", "5!"])
    XCTAssertEqual(plus.map(\.kind), [.incorrectToCorrect, .correctToCorrect])
    XCTAssertEqual(plus[1].prompt, .text("Add.\n\n2+3\n5\nFix.\n"))
    XCTAssertThrowsError(
      try SCoReBaselineData.star(
        traces: traces, problems: [problems[1]], prompts: prompts, layout: .chat,
        includeCorrectToCorrect: false)
    ) { XCTAssertEqual($0 as? SCoReTrainingError, .unknownProblem("p")) }
  }

  func testPairSFTPairsIncorrectWithCorrectOfSameProblem() throws {
    let samples = [
      scoreEpisode("p", 0, [(0, 1)], texts: ["w1"]), scoreEpisode("p", 1, [(1, 1)], texts: ["c1"]),
      scoreEpisode("p", 2, [(0, 1)], texts: ["w2"]), scoreEpisode("q", 0, [(0, 1)], texts: ["wq"]),
    ]
    var rng = SeededRNG(seed: 1)
    let d = try SCoReBaselineData.pairSFT(
      samples: samples, problems: problems, prompts: prompts, layout: .chat, includeCorrectToCorrect: false,
      using: &rng)
    // Only one correct response for p, so the draw is forced; q has no correct sample.
    XCTAssertEqual(d.map(\.target), ["c1", "c1"])
    XCTAssertEqual(
      d.map(\.prompt),
      [
        .chat([.user("Add.\n\n2+3"), .assistant("w1"), .user("Fix.")]),
        .chat([.user("Add.\n\n2+3"), .assistant("w2"), .user("Fix.")]),
      ])
    var rng2 = SeededRNG(seed: 1)
    let plus = try SCoReBaselineData.pairSFT(
      samples: samples, problems: problems, prompts: prompts, layout: .chat, includeCorrectToCorrect: true,
      using: &rng2)
    XCTAssertEqual(plus.map(\.kind), [.incorrectToCorrect, .incorrectToCorrect, .correctToCorrect])
    XCTAssertEqual(plus[2].target, "c1")
  }

  func testPairSFTDrawIsSeededAndCoversCorrectResponses() throws {
    var samples = [
      scoreEpisode("p", 0, [(1, 1)], texts: ["c0"]), scoreEpisode("p", 1, [(1, 1)], texts: ["c1"]),
    ]
    for j in 0..<40 { samples.append(scoreEpisode("p", 2 + j, [(0, 1)], texts: ["w\(j)"])) }
    func draw(_ seed: UInt64) throws -> [String] {
      var rng = SeededRNG(seed: seed)
      return try SCoReBaselineData.pairSFT(
        samples: samples, problems: problems, prompts: prompts, layout: .chat, includeCorrectToCorrect: false,
        using: &rng
      ).map(\.target)
    }
    let a = try draw(3)
    XCTAssertEqual(a.count, 40)
    XCTAssertEqual(a, try draw(3))
    XCTAssertEqual(Set(a), ["c0", "c1"])  // 40 fair draws miss one of two with probability 2^-39
  }
}
