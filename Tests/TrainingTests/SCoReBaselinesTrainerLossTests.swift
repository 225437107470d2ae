import Foundation
import Generation
import Models
import Rollouts
import TensorCore
import XCTest

@testable import Training

/// The tensor loss of `SCoReTrainer` against its definition: d loss / d log π_θ(token) =
/// (−A + w_KL·(1 − e^Δ)) / E with A, w_KL from `SCoReTokenWeights` and Δ = log π_ref − log π_θ.
final class SCoReBaselinesTrainerLossTests: XCTestCase {
  typealias F = SCoReBaselinesFixture

  /// One problem, two episodes (an RLOO group) of two attempts with fixed texts.
  func episodes(rewards: [[Double]]) -> [SCoReEpisode] {
    let texts = [["12", "3"], ["7", "45"]]
    return (0..<2).map { e in
      let p = F.problems[0]
      return SCoReEpisode(
        problemID: p.id, sample: e,
        attempts: (0..<2).map { t in
          let prompt = F.prompts.textContext(problem: p, previousAttempts: Array(texts[e].prefix(t)))
          let tokens = F.tokenizer.encode(texts[e][t])
          return SCoReAttempt(
            prompt: .text(prompt), text: texts[e][t], tokens: tokens,
            logProbs: tokens.map { _ in -2.5 - Double(e + t) }, finishReason: .stopToken,
            reward: rewards[e][t], extractedAnswer: nil)
        })
    }
  }

  func trainer(stage: SCoReStage, coefficients: SCoReCoefficients) -> SCoReTrainer {
    let reference = F.model(seed: 21)
    let policy = SCoReModelCopy.copy(reference)
    var rng = SeededRNG(seed: 5)
    for p in policy.parameters {  // move π_θ away from π_ref so the KL terms have gradients
      let noise = Tensor.randn(p.shape, std: 0.05, rng: &rng)
      p.assign(withNoGrad { p + noise })
    }
    return SCoReTrainer(
      policy: policy, reference: reference, tokenizer: F.tokenizer, prompts: F.prompts, problems: F.problems,
      checker: F.checker, config: SCoReTrainConfig(stage: stage, coefficients: coefficients))
  }

  /// The gradient of Σ_rows Σ_tokens c·log π_θ(token) with c = d loss / d log π_θ, rows scored in
  /// reverse order in a separate batch; only rows in `turns` contribute.
  func referenceGradient(_ tr: SCoReTrainer, _ eps: [SCoReEpisode], turns: Set<Int>) throws -> [[Float]] {
    var rows: [(e: Int, t: Int)] = []
    for e in eps.indices.reversed() { for t in [1, 0] { rows.append((e, t)) } }
    let batch = PolicyBatch(
      contexts: rows.map { F.tokenizer.encode(promptText(eps[$0.e].attempts[$0.t].prompt)) },
      samples: rows.map { eps[$0.e].attempts[$0.t].tokens })
    let ref = batch.referenceLogProbs(tr.reference)
    let cur = batch.referenceLogProbs(tr.policy)
    var refNested = eps.map { $0.attempts.map { _ in [Double]() } }
    for (r, row) in rows.enumerated() { refNested[row.e][row.t] = ref[r] }
    let weights = try SCoReTokenWeights.build(
      episodes: eps, refLogProbs: refNested, stage: tr.config.stage, coefficients: tr.config.coefficients)
    var c: [Float] = []
    for (r, row) in rows.enumerated() {
      let w = weights.first { $0.episode == row.e && $0.turn == row.t }!
      for i in ref[r].indices {
        let d = ref[r][i] - cur[r][i]
        let coef = (-w.tokenAdvantages[i] + w.tokenKLWeights[i] * (1 - exp(d))) / Double(eps.count)
        c.append(turns.contains(row.t) ? Float(coef) : 0)
      }
    }
    (batch.logProbs(tr.policy) * Tensor(c, shape: [c.count])).sum().backward()
    defer { tr.policy.parameters.forEach { $0.zeroGrad() } }
    return tr.policy.parameters.map { $0.grad?.toArray() ?? [Float](repeating: 0, count: $0.count) }
  }

  func trainerGradient(_ tr: SCoReTrainer, _ eps: [SCoReEpisode]) throws -> [[Float]] {
    let loss = try tr.loss(episodes: eps)
    (loss.pg + loss.kl).backward()
    defer { tr.policy.parameters.forEach { $0.zeroGrad() } }
    return tr.policy.parameters.map { $0.grad?.toArray() ?? [Float](repeating: 0, count: $0.count) }
  }

  func promptText(_ p: Prompt) -> String {
    if case .text(let s) = p { return s }
    return ""
  }

  func assertClose(_ a: [[Float]], _ b: [[Float]], file: StaticString = #filePath, line: UInt = #line) {
    let scale = b.flatMap { $0 }.map(abs).max() ?? 0
    XCTAssertGreaterThan(scale, 1e-6, "gradient must not vanish", file: file, line: line)
    for (x, y) in zip(a.flatMap { $0 }, b.flatMap { $0 }) {
      XCTAssertEqual(x, y, accuracy: 1e-4 * scale + 1e-7, file: file, line: line)
    }
  }

  func testLossGradientMatchesTokenWeightsInBothStages() throws {
    let rewards: [[Double]] = [[0, 1], [1, 0]]
    for stage in [SCoReStage.stageI(subStage: 1), .stageII] {
      let tr = trainer(stage: stage, coefficients: .math)
      let eps = episodes(rewards: rewards)
      assertClose(try trainerGradient(tr, eps), try referenceGradient(tr, eps, turns: [0, 1]))
    }
  }

  /// Stage I with equal turn-2 rewards and β1 = 0: every turn-2 advantage is 0, so the whole
  /// gradient is the β2 pin's, from turn-1 tokens only.
  func testStageIGradientComesFromTurnOneTokensWhenTurnTwoRewardsAreEqual() throws {
    let tr = trainer(
      stage: .stageI(subStage: 1), coefficients: SCoReCoefficients(alpha: 10, beta1: 0, beta2: 0.1))
    let eps = episodes(rewards: [[0, 0], [1, 0]])
    let full = try trainerGradient(tr, eps)
    assertClose(full, try referenceGradient(tr, eps, turns: [0]))
    // And the turn-1-only gradient differs from the one turn-2 tokens would add with unequal rewards.
    let eps2 = episodes(rewards: [[0, 1], [1, 0]])
    let withTurnTwo = try trainerGradient(tr, eps2)
    XCTAssertNotEqual(full.flatMap { $0 }, withTurnTwo.flatMap { $0 })
  }

  /// Branched rollouts (m = 2): each first attempt appears twice, and a trainer configured with
  /// `secondAttemptsPerFirst = 2` counts it once at twice the weight over twice the episodes, so with
  /// equal turn-2 rewards within each family (turn-2 advantages 0) and β1 = 0 its gradient is the
  /// β2 pin of the unbranched pair — the same number, by another route.
  func testBranchedTrainerPinsEachFirstAttemptOnce() throws {
    let coefficients = SCoReCoefficients(alpha: 10, beta1: 0, beta2: 0.1)
    // The pin alone: unbranched, with equal turn-2 rewards (turn-2 advantages 0).
    let plain = trainer(stage: .stageI(subStage: 1), coefficients: coefficients)
    let expected = try trainerGradient(plain, episodes(rewards: [[0, 0], [1, 0]]))
    // Branched: turn-2 rewards differ between the families (1 vs 0; unbranched that would be ±1)
    // but are equal within each, so only the pin remains.
    let branched = trainer(stage: .stageI(subStage: 1), coefficients: coefficients)
    branched.config.secondAttemptsPerFirst = 2
    let doubled = episodes(rewards: [[0, 1], [1, 0]]).flatMap { [$0, $0] }  // samples 0, 0, 1, 1
    assertClose(try trainerGradient(branched, doubled), expected)
    // Unequal turn-2 rewards within a family add a turn-2 term: the gradient changes.
    var mixed = doubled
    mixed[1].attempts[1].reward = 0
    XCTAssertNotEqual(try trainerGradient(branched, mixed).flatMap { $0 }, expected.flatMap { $0 })
  }
}
