import Datasets
import Foundation
import Generation
import Models
import Rollouts
import TensorCore
import Training
import Verifiers
import XCTest

final class S2RBehaviourDataTests: XCTestCase {
  /// "3+4-2=?" with sampled answers 6 (wrong), 5 (right), 7 (wrong), and a mix that keeps every
  /// trajectory.
  func threeAnswers() -> (SyntheticProblem, String, S2RStage0Problem, S2RTrajectoryMix) {
    let p = SyntheticProblem(kind: .arithmetic, difficulty: 2, operands: [3, 4, 2], ops: ["+", "-"])
    let right = "3+4=7. 7-2=5. \\boxed{5}"
    let sampled = S2RStage0Problem(
      id: p.text, problem: p.text,
      attempts: [
        S2RSampledAttempt(text: "3+4=8. 8-2=6. \\boxed{6}", answer: "6", correct: false),
        S2RSampledAttempt(text: right, answer: "5", correct: true),
        S2RSampledAttempt(text: "3+4=9. 9-2=7. \\boxed{7}", answer: "7", correct: false),
      ])
    var mix = S2RTrajectoryMix()
    mix.keepProbability = [1, 1, 1, 1]
    return (p, right, sampled, mix)
  }

  /// "3+4-2=?" (answer 5) with sampled answers 5 (right) and 6, 7 (wrong): the verifications come
  /// from the task's generator, every kept verdict agrees with the truth, trajectories end with the
  /// right attempt, and the k = 1 mix adds exactly one single-attempt trajectory per problem when its
  /// fraction is 1 (and none when it is 0, the paper's recipe).
  func testTrajectoriesAndSingleAttemptMix() async throws {
    let (p, right, sampled, mix) = threeAnswers()
    XCTAssertEqual(p.answer, 5)
    let plain = try await S2RBehaviourData(mix: mix, seed: 3).build([sampled], problems: [p])
    XCTAssertEqual(plain.count, 1)
    let t = plain[0]
    XCTAssertEqual(t.prompt, p.text + "\n")
    XCTAssertEqual(t.wrongAttempts, 2)
    XCTAssertTrue(t.answer.hasPrefix("3+4="))
    XCTAssertTrue(t.answer.hasSuffix(SyntheticTask.correctVerdict))
    XCTAssertEqual(t.answer.components(separatedBy: SyntheticTask.incorrectVerdict).count - 1, 2)
    let mixed = try await S2RBehaviourData(mix: mix, seed: 3, singleAttemptFraction: 1).build(
      [sampled], problems: [p])
    XCTAssertEqual(mixed.count, 2)
    XCTAssertEqual(mixed[1].wrongAttempts, 0)
    XCTAssertEqual(
      mixed[1].answer, right + S2RTrajectory.checkMarker + SyntheticTask.verification(for: p, answer: 5))
  }

  /// Repeated wrong attempts (ours): with fraction 1 the two-wrong trajectory of "3+4-2=?" holds one
  /// wrong attempt twice in a row, each time with the same "incorrect" check, then the right one;
  /// at fraction 0 (the paper) its wrong attempts stay distinct.
  func testRepeatedWrongAttempt() async throws {
    let (p, right, sampled, mix) = threeAnswers()
    func attempts(_ fraction: Double) async throws -> (example: S2RSFTExample, parts: [String]) {
      let built = try await S2RBehaviourData(mix: mix, seed: 3, repeatedWrongFraction: fraction).build(
        [sampled], problems: [p])
      XCTAssertEqual(built.count, 1)
      return (built[0], built[0].answer.components(separatedBy: S2RTrajectory.retryMarker))
    }
    let plain = try await attempts(0)
    XCTAssertEqual(plain.example.wrongAttempts, 2)
    XCTAssertEqual(Set(plain.parts.prefix(2)).count, 2)
    let repeated = try await attempts(1)
    XCTAssertEqual(repeated.example.wrongAttempts, 3)
    XCTAssertEqual(repeated.parts.count, 4)
    XCTAssertEqual(Set(repeated.parts.prefix(3)).count, 2)  // one wrong attempt twice
    let twice = (0..<2).first { repeated.parts[$0] == repeated.parts[$0 + 1] }
    XCTAssertNotNil(twice, "the repeat follows the attempt it repeats")
    XCTAssertTrue(repeated.parts[twice!].hasSuffix(SyntheticTask.incorrectVerdict))
    XCTAssertTrue(repeated.parts[3].hasPrefix(right))
    XCTAssertTrue(repeated.parts[3].hasSuffix(SyntheticTask.correctVerdict))
  }

  /// A config written before `repeatedWrongFraction` decodes as the paper's recipe, and one without
  /// it encodes without the key (a run's stage-cache fingerprint is unchanged).
  func testRepeatedWrongFractionIsAbsentFromOldConfigs() throws {
    let old = S2RBehaviourData(seed: 9, singleAttemptFraction: 0.5)
    let json = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
    XCTAssertFalse(json.contains("repeated"))
    XCTAssertEqual(try JSONDecoder().decode(S2RBehaviourData.self, from: Data(json.utf8)), old)
    let on = S2RBehaviourData(seed: 9, repeatedWrongFraction: 0.5)
    XCTAssertEqual(try JSONDecoder().decode(S2RBehaviourData.self, from: JSONEncoder().encode(on)), on)
  }

  /// Replies with fixed texts, the request's `n` of them in order.
  struct FixedReplies: LanguageModel {
    let texts: [String]
    var name: String { "fixed" }
    func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
      requests.map { r in
        texts.prefix(r.n).map {
          GeneratedSequence(tokens: [], text: $0, logProbs: [], finishReason: .stopToken)
        }
      }
    }
  }

  /// `cutAtCheckMarker` (ours): a sample that goes on into a check of its own is cut to its solution
  /// before it is graded — here the base's check boxes a 5, so uncut the last box makes a wrong "6"
  /// attempt look right; a marker cut off by the budget is cut too. nil (old configs) keeps the text.
  func testSamplesAreCutAtTheCheckMarker() async throws {
    let (p, right, _, _) = threeAnswers()
    let wrong = "3+4=8. 8-2=6. \\boxed{6}"
    let texts = [
      wrong + S2RTrajectory.checkMarker + "Check: \\boxed{5}", right + "\n\nWait, let", right,
    ]
    let model = FixedReplies(texts: texts)
    let cut = try await S2RBehaviourData(samplesPerProblem: 3, cutAtCheckMarker: true).sample(
      model: model, problems: [p])
    XCTAssertEqual(cut[0].attempts.map(\.text), [wrong, right, right])
    XCTAssertEqual(cut[0].attempts.map(\.answer), ["6", "5", "5"])
    XCTAssertEqual(cut[0].attempts.map(\.correct), [false, true, true])
    let uncut = try await S2RBehaviourData(samplesPerProblem: 3).sample(model: model, problems: [p])
    XCTAssertEqual(uncut[0].attempts.map(\.text), texts)
    XCTAssertEqual(uncut[0].attempts[0].correct, true, "the base's own check's box is read uncut")
    let json = String(decoding: try JSONEncoder().encode(S2RBehaviourData(seed: 9)), as: UTF8.self)
    XCTAssertFalse(json.contains("cutAt"))
  }

  /// Step 1 through the `LanguageModel` protocol (what `--api-base` uses), here with the native
  /// model behind it: K graded attempts per problem, sample k of problem i seeded seed + i·7919 + k
  /// (so a problem's attempts do not depend on which other problems share the call).
  func testSamplingThroughALanguageModelIsSeededPerProblem() async throws {
    let tokenizer = SyntheticFormat.tokenizer()
    let config = ModelConfig(
      vocabSize: tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1,
      numAttentionHeads: 2, numKeyValueHeads: 1, maxPositionEmbeddings: 160)
    var rng = SeededRNG(seed: 9)
    let model = NativeLanguageModel(
      model: Transformer(config: config, rng: &rng), tokenizer: tokenizer, template: .plain)
    let problems = SyntheticDatasetFile.generate(
      SyntheticDatasetConfig(count: 3, seed: 2, minDifficulty: 1, maxDifficulty: 2))
    let data = S2RBehaviourData(samplesPerProblem: 2, temperature: 1, seed: 4)

    let all = try await data.sample(model: model, problems: problems, maxNewTokens: 12)
    XCTAssertEqual(all.map(\.id), problems.map(\.text))
    for (s, p) in zip(all, problems) {
      XCTAssertEqual(s.attempts.count, 2)
      for a in s.attempts {
        let graded = SyntheticFormat.score(p, attempt: a.text)
        XCTAssertEqual(a.correct, graded.correct)
        XCTAssertEqual(a.answer, graded.extracted.map(String.init) ?? "")
      }
    }
    XCTAssertNotEqual(all[0].attempts[0].text, all[0].attempts[1].text, "samples of a problem share a seed")
    // The last problem alone, with the seed shifted by its index, gets the same attempts.
    var shifted = data
    shifted.seed = data.seed &+ 2 &* 7_919
    let last = try await shifted.sample(model: model, problems: [problems[2]], maxNewTokens: 12)
    XCTAssertEqual(last, [all[2]])
  }
}
