import Datasets
import Generation
import Models
import Rollouts
import TensorCore
import Training
import Verifiers
import XCTest

final class S2RBehaviourDataTests: XCTestCase {
  /// "3+4-2=?" (answer 5) with sampled answers 5 (right) and 6, 7 (wrong): the verifications come
  /// from the task's generator, every kept verdict agrees with the truth, trajectories end with the
  /// right attempt, and the k = 1 mix adds exactly one single-attempt trajectory per problem when its
  /// fraction is 1 (and none when it is 0, the paper's recipe).
  func testTrajectoriesAndSingleAttemptMix() async throws {
    let p = SyntheticProblem(kind: .arithmetic, difficulty: 2, operands: [3, 4, 2], ops: ["+", "-"])
    XCTAssertEqual(p.answer, 5)
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
