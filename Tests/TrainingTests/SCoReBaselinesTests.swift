import Generation
import Models
import Rollouts
import TensorCore
import Training
import XCTest

/// Records which transformers a sampler factory was asked for.
final class SamplerCalls: @unchecked Sendable {
  private let lock = NSLock()
  private var models: [Transformer] = []
  func add(_ m: Transformer) { lock.withLock { models.append(m) } }
  var all: [Transformer] { lock.withLock { models } }
}

final class SCoReBaselinesTests: XCTestCase {
  typealias F = SCoReBaselinesFixture
  let sft = SFTConfig(steps: 1, batchSize: 2, learningRate: 1e-2, warmupSteps: 0, maxLength: 128)

  /// Every trained sequence: the hand-written turn-2 context with weight 0, then y2 and EOS with 1.
  func assertTurnTwoOnly(_ round: SCoReSFTRound, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(round.sequences.count, round.examples.count, file: file, line: line)
    for (ex, seq) in zip(round.examples, round.sequences) {
      guard case .text(let prompt) = ex.prompt else {
        return XCTFail("text layout expected", file: file, line: line)
      }
      let n = F.tokenizer.encode(prompt).count
      XCTAssertEqual(
        seq.tokens, F.tokenizer.encode(prompt) + F.tokenizer.encode(ex.target) + [F.tokenizer.eosTokenID!],
        file: file, line: line)
      XCTAssertEqual(
        seq.weights, [Float](repeating: 0, count: n) + [Float](repeating: 1, count: seq.tokens.count - n),
        file: file, line: line)
    }
  }

  func testSTaRKeepsIncorrectToCorrectTracesOfEachIterationFromTheLatestModel() async throws {
    let base = F.model()
    let before = F.weights(base)
    let calls = SamplerCalls()
    let inputs = F.inputs
    let config = SCoReSTaRConfig(iterations: 3, samplesPerProblem: 4, maxNewTokens: 4, sft: sft, seed: 3)
    let result = try await SCoReSTaRBaseline.run(
      base: base, inputs: inputs, config: config,
      sampler: { m in
        calls.add(m)
        return inputs.nativeModel(m)
      })
    XCTAssertEqual(result.rounds.count, 3)
    // Iteration 1 samples the base itself; iteration i > 1 samples the model iteration i − 1 returned.
    XCTAssertEqual(calls.all.count, 3)
    XCTAssertTrue(calls.all[0] === base)
    XCTAssertFalse(calls.all[1] === base)
    XCTAssertFalse(calls.all[2] === calls.all[1])
    var trained = 0
    for round in result.rounds {
      XCTAssertEqual(round.episodes.count, F.problems.count * 4)
      let expected = round.episodes.filter {
        !F.isCorrect($0.attempts[0].text) && F.isCorrect($0.attempts[1].text)
      }
      XCTAssertEqual(round.examples.map(\.problemID), expected.map(\.problemID))
      XCTAssertEqual(round.examples.map(\.target), expected.map { $0.attempts[1].text })
      XCTAssertEqual(
        round.examples.map(\.prompt),
        expected.map { .text(F.secondTurnContext($0.problemID, $0.attempts[0].text)) })
      XCTAssertTrue(round.examples.allSatisfy { $0.kind == .incorrectToCorrect })
      assertTurnTwoOnly(round)
      if !round.examples.isEmpty { trained += 1 }
    }
    XCTAssertGreaterThan(trained, 0, "the fixture must produce some i→c traces")
    XCTAssertEqual(Set(result.records.map(\.phase)).filter { $0.hasSuffix("-sample") }.count, 3)
    XCTAssertEqual(result.records.filter { $0.phase.hasSuffix("-sft") }.count, trained)
    XCTAssertEqual(F.weights(base), before, "the base model is copied, never trained")
    XCTAssertNotEqual(F.weights(result.model), before)
  }

  func testSTaRPlusAlsoKeepsCorrectToCorrect() async throws {
    let config = SCoReSTaRConfig(
      iterations: 1, samplesPerProblem: 4, maxNewTokens: 4, includeCorrectToCorrect: true, sft: sft, seed: 3)
    let result = try await SCoReSTaRBaseline.run(base: F.model(), inputs: F.inputs, config: config)
    let round = result.rounds[0]
    let expected = round.episodes.filter { F.isCorrect($0.attempts[1].text) }
    XCTAssertEqual(round.examples.map(\.target), expected.map { $0.attempts[1].text })
    XCTAssertEqual(
      round.examples.map(\.kind),
      expected.map { F.isCorrect($0.attempts[0].text) ? .correctToCorrect : .incorrectToCorrect })
    XCTAssertTrue(round.examples.contains { $0.kind == .correctToCorrect })
    assertTurnTwoOnly(round)
  }

  func testPairSFTPairsIncorrectWithCorrectAttemptOfTheSameProblem() async throws {
    for plus in [false, true] {
      let config = SCoRePairSFTConfig(
        samplesPerProblem: 4, maxNewTokens: 4, includeCorrectToCorrect: plus, sft: sft, seed: 5)
      let result = try await SCoRePairSFTBaseline.run(base: F.model(), inputs: F.inputs, config: config)
      XCTAssertEqual(result.rounds.count, 1)
      let round = result.rounds[0]
      XCTAssertTrue(round.episodes.allSatisfy { $0.attempts.count == 1 }, "first attempts only")
      var byProblem: [String: [String]] = [:]
      for e in round.episodes { byProblem[e.problemID, default: []].append(e.attempts[0].text) }
      var expectedCount = 0
      for (_, texts) in byProblem where texts.contains(where: F.isCorrect) {
        expectedCount +=
          texts.filter { !F.isCorrect($0) }.count + (plus ? texts.filter(F.isCorrect).count : 0)
      }
      XCTAssertEqual(round.examples.count, expectedCount)
      XCTAssertGreaterThan(round.examples.filter { $0.kind == .incorrectToCorrect }.count, 0)
      for ex in round.examples {
        let texts = byProblem[ex.problemID]!
        XCTAssertTrue(
          texts.contains(ex.target) && F.isCorrect(ex.target), "y2 is a correct sample of the problem")
        guard case .text(let prompt) = ex.prompt else { return XCTFail() }
        let y1 = texts.first { prompt == F.secondTurnContext(ex.problemID, $0) }
        XCTAssertNotNil(y1, "y1 is a sample of the same problem")
        XCTAssertEqual(ex.kind == .correctToCorrect, F.isCorrect(y1 ?? ""))
      }
      if !plus { XCTAssertTrue(round.examples.allSatisfy { $0.kind == .incorrectToCorrect }) }
      assertTurnTwoOnly(round)
      XCTAssertEqual(result.records.filter { $0.phase == "pair-sft" }.count, 1)
    }
  }
}
