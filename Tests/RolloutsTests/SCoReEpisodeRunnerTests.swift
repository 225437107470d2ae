import Foundation
import Generation
import Tokenizers
import XCTest

@testable import Rollouts

/// Records every `complete` call.
actor RequestLog {
  var calls: [[CompletionRequest]] = []
  func record(_ r: [CompletionRequest]) { calls.append(r) }
}

/// A scripted model: the reply to sample j of a request is `script(prompt, j)`; its tokens are
/// the reply's UTF-8 bytes and every log-prob is −0.5.
struct ScriptedModel: LanguageModel {
  let name = "scripted"
  let log = RequestLog()
  var extraSamples = 0
  let script: @Sendable (Prompt, Int) -> String

  func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
    await log.record(requests)
    return requests.map { r in
      (0..<(r.n + extraSamples)).map { j in
        let text = script(r.prompt, j)
        let tokens = text.utf8.map { Int($0) }
        return GeneratedSequence(
          tokens: tokens, text: text, logProbs: tokens.map { _ in -0.5 }, finishReason: .stopToken)
      }
    }
  }
}

final class SCoReEpisodeRunnerTests: XCTestCase {
  let prompts = SCoRePromptSet.synthetic(firstTurn: "Add.", correction: "Fix.")
  let problems = [
    SCoReProblem(id: "a", statement: "2+3", answer: "5"),
    SCoReProblem(id: "b", statement: "1+1", answer: "2"),
  ]

  /// Turn 1 answers "5" for sample 0 and "6" otherwise; a later turn answers "5" when asked to fix
  /// a "6", and repeats otherwise. The statement is echoed so that problems can be told apart.
  static func script(_ prompt: Prompt, _ j: Int) -> String {
    guard case .chat(let messages) = prompt else { return "text" }
    let statement = messages[0].content.components(separatedBy: "\n\n")[1]
    if messages.count == 1 { return statement + "=" + (j == 0 ? "5" : "6") }
    let last = messages[messages.count - 2].content
    return last.hasSuffix("=6") ? statement + "=5" : last
  }

  static let checker: SCoReChecker = { problem, text in
    let answer = text.components(separatedBy: "=").last
    return (answer == problem.answer ? 1 : 0, answer)
  }

  func testTwoTurnEpisodesInOrderWithRewardsAndContexts() async throws {
    let model = ScriptedModel(script: Self.script)
    let config = SCoReRolloutConfig(
      samplesPerProblem: 3, turns: 2, params: SamplingParams(temperature: 1), seed: 7)
    let runner = SCoReEpisodeRunner(model: model, prompts: prompts, config: config)
    let episodes = try await runner.run(problems: problems, checker: Self.checker)

    XCTAssertEqual(episodes.map(\.problemID), ["a", "a", "a", "b", "b", "b"])
    XCTAssertEqual(episodes.map(\.sample), [0, 1, 2, 0, 1, 2])
    XCTAssertEqual(episodes.map { $0.attempts.map(\.text) }[0], ["2+3=5", "2+3=5"])
    XCTAssertEqual(episodes.map { $0.attempts.map(\.text) }[1], ["2+3=6", "2+3=5"])
    // Problem a (answer 5): sample 0 right→right, others wrong→right. Problem b (answer 2): all wrong.
    XCTAssertEqual(episodes.map(\.rewards), [[1, 1], [0, 1], [0, 1], [0, 0], [0, 0], [0, 0]])
    XCTAssertEqual(episodes[1].attempts.map(\.extractedAnswer), ["6", "5"])
    XCTAssertEqual(episodes[4].attempts[1].text, "1+1=5")
    XCTAssertEqual(episodes[1].attempts[0].tokens, Array("2+3=6".utf8).map { Int($0) })
    XCTAssertEqual(episodes[1].attempts[0].logProbs, [Double](repeating: -0.5, count: 5))
    XCTAssertEqual(episodes[1].attempts[0].prompt, .chat([.user("Add.\n\n2+3")]))
    XCTAssertEqual(
      episodes[1].attempts[1].prompt, .chat([.user("Add.\n\n2+3"), .assistant("2+3=6"), .user("Fix.")]))

    // One `complete` call per turn: turn 1 has one request per problem with n = k, turn 2 one per episode.
    let calls = await model.log.calls
    XCTAssertEqual(calls.count, 2)
    XCTAssertEqual(calls[0].map(\.n), [3, 3])
    XCTAssertEqual(calls[1].map(\.n), [1, 1, 1, 1, 1, 1])
    let seeds = calls.flatMap { $0.map(\.seed) }
    XCTAssertEqual(Set(seeds).count, seeds.count)
    XCTAssertEqual(calls[0][0].seed, SCoReEpisodeRunner.requestSeed(7, turn: 1, index: 0))
    XCTAssertEqual(calls[1][4].seed, SCoReEpisodeRunner.requestSeed(7, turn: 2, index: 4))
    XCTAssertEqual(calls[1][0].params.temperature, 1)
  }

  /// m = 3 second attempts per first attempt: k·m episodes, branches adjacent and sharing `sample`
  /// and y1, each second attempt conditioned on its own y1 with its own seed.
  func testBranchedSecondAttemptsShareTheirFirstAttempt() async throws {
    let model = ScriptedModel(script: Self.script)
    let config = SCoReRolloutConfig(
      samplesPerProblem: 2, secondAttemptsPerFirst: 3, turns: 2, params: SamplingParams(temperature: 1),
      seed: 7)
    let runner = SCoReEpisodeRunner(model: model, prompts: prompts, config: config)
    let episodes = try await runner.run(problems: problems, checker: Self.checker)
    XCTAssertEqual(episodes.count, 12)
    XCTAssertEqual(episodes.map(\.problemID), ["a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b"])
    XCTAssertEqual(episodes.map(\.sample), [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1])
    XCTAssertEqual(episodes[0...2].map { $0.attempts[0].text }, ["2+3=5", "2+3=5", "2+3=5"])
    XCTAssertEqual(episodes[3...5].map { $0.attempts[0].text }, ["2+3=6", "2+3=6", "2+3=6"])
    XCTAssertEqual(episodes[4].attempts[1].text, "2+3=5")
    XCTAssertEqual(
      episodes[4].attempts[1].prompt, .chat([.user("Add.\n\n2+3"), .assistant("2+3=6"), .user("Fix.")]))
    XCTAssertEqual(episodes.map(\.rewards)[3], [0, 1])
    let calls = await model.log.calls
    XCTAssertEqual(calls.count, 2)
    XCTAssertEqual(calls[0].map(\.n), [2, 2])
    XCTAssertEqual(calls[1].count, 12)
    XCTAssertEqual(Set(calls[1].map(\.seed)).count, 12)
    // One turn only: nothing to branch.
    var single = config
    single.turns = 1
    let one = try await SCoReEpisodeRunner(model: model, prompts: prompts, config: single)
      .run(problems: problems, checker: Self.checker)
    XCTAssertEqual(one.count, 4)
    single.secondAttemptsPerFirst = 0
    do {
      _ = try await SCoReEpisodeRunner(model: model, prompts: prompts, config: single)
        .run(problems: problems, checker: Self.checker)
      XCTFail("m = 0 must be rejected")
    } catch let e as SCoReRolloutError {
      XCTAssertEqual(e, .invalidConfig("secondAttemptsPerFirst must be ≥ 1, got 0"))
    }
  }

  func testThreeTurnsAndTextLayout() async throws {
    let model = ScriptedModel { prompt, _ in
      guard case .text(let s) = prompt else { return "chat" }
      return "t\(s.components(separatedBy: "Fix.").count)"
    }
    let config = SCoReRolloutConfig(
      samplesPerProblem: 1, turns: 3, params: .greedy(maxNewTokens: 8), layout: .text)
    let runner = SCoReEpisodeRunner(model: model, prompts: prompts, config: config)
    let episodes = try await runner.run(problems: [problems[0]]) { _, text in (text == "t3" ? 1 : 0, nil) }
    XCTAssertEqual(episodes.count, 1)
    XCTAssertEqual(episodes[0].attempts.map(\.text), ["t1", "t2", "t3"])
    XCTAssertEqual(episodes[0].rewards, [0, 0, 1])
    XCTAssertEqual(episodes[0].attempts[2].prompt, .text("Add.\n\n2+3\nt1\nFix.\nt2\nFix.\n"))
    let calls = await model.log.calls
    XCTAssertEqual(calls.count, 3)
    XCTAssertEqual(calls[2][0].params.temperature, 0)
  }

  func testTaskStopStringsAreAdded() async throws {
    let model = ScriptedModel { _, _ in "x" }
    var params = SamplingParams()
    params.stopStrings = ["\n\n"]
    let runner = SCoReEpisodeRunner(
      model: model, prompts: .mbpp, config: SCoReRolloutConfig(samplesPerProblem: 1, turns: 1, params: params)
    )
    _ = try await runner.run(problems: [problems[0]]) { _, _ in (0, nil) }
    let calls = await model.log.calls
    XCTAssertEqual(calls[0][0].params.stopStrings, ["\n\n", "[DONE]"])
  }

  func testBadConfigAndBadModelAreErrors() async throws {
    let runner0 = SCoReEpisodeRunner(
      model: ScriptedModel(script: Self.script), prompts: prompts,
      config: SCoReRolloutConfig(samplesPerProblem: 0))
    do {
      _ = try await runner0.run(problems: problems, checker: Self.checker)
      XCTFail("expected an error")
    } catch let e as SCoReRolloutError {
      XCTAssertEqual(e, .invalidConfig("samplesPerProblem must be ≥ 1, got 0"))
    }
    var bad = ScriptedModel(script: Self.script)
    bad.extraSamples = 1
    let runner = SCoReEpisodeRunner(
      model: bad, prompts: prompts, config: SCoReRolloutConfig(samplesPerProblem: 2))
    do {
      _ = try await runner.run(problems: problems, checker: Self.checker)
      XCTFail("expected an error")
    } catch let e as SCoReRolloutError {
      XCTAssertEqual(e, .wrongSampleCount(turn: 1, expected: 4, got: 6))
    }
    let empty = try await runner.run(problems: [], checker: Self.checker)
    XCTAssertEqual(empty, [])
  }

  func testEpisodeIsCodable() async throws {
    let runner = SCoReEpisodeRunner(
      model: ScriptedModel(script: Self.script), prompts: prompts,
      config: SCoReRolloutConfig(samplesPerProblem: 2))
    let episodes = try await runner.run(problems: problems, checker: Self.checker)
    let data = try JSONEncoder().encode(episodes)
    XCTAssertEqual(try JSONDecoder().decode([SCoReEpisode].self, from: data), episodes)
    XCTAssertEqual(episodes[0].correctness, [true, true])
    var partial = episodes[0].attempts[0]
    partial.reward = 0.67
    XCTAssertFalse(partial.isCorrect)
  }

  func testContinueEpisodesFromGivenFirstAttempts() async throws {
    // MBPP-R style: the first attempt is given (no tokens), only turn 2 is sampled.
    let model = ScriptedModel(script: Self.script)
    let given = SCoReAttempt(
      prompt: .chat([.user("Add.\n\n2+3")]), text: "2+3=6", tokens: [], logProbs: [], finishReason: .length,
      reward: 0, extractedAnswer: "6")
    let runner = SCoReEpisodeRunner(
      model: model, prompts: prompts, config: SCoReRolloutConfig(samplesPerProblem: 1, turns: 2, seed: 3))
    let out = try await runner.continueEpisodes(
      [SCoReEpisode(problemID: "a", sample: 0, attempts: [given])], problems: [problems[0]],
      checker: Self.checker)
    XCTAssertEqual(out[0].attempts.map(\.text), ["2+3=6", "2+3=5"])
    XCTAssertEqual(out[0].rewards, [0, 1])
    let calls = await model.log.calls
    XCTAssertEqual(calls.count, 1)
    XCTAssertEqual(calls[0][0].seed, SCoReEpisodeRunner.requestSeed(3, turn: 2, index: 0))
    do {
      _ = try await runner.continueEpisodes(
        [SCoReEpisode(problemID: "a", sample: 0, attempts: [])], problems: [problems[0]],
        checker: Self.checker)
      XCTFail("expected an error")
    } catch is SCoReRolloutError {}
  }
}
