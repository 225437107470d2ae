import Generation
import Rollouts
import XCTest

@testable import Training

/// An episode with one attempt per (reward, token count); log-probs all −1.
func scoreEpisode(_ id: String, _ sample: Int, _ attempts: [(Double, Int)], texts: [String]? = nil)
  -> SCoReEpisode
{
  SCoReEpisode(
    problemID: id, sample: sample,
    attempts: attempts.enumerated().map { t, a in
      SCoReAttempt(
        prompt: .text("x"), text: texts?[t] ?? "y\(t)", tokens: Array(0..<a.1),
        logProbs: [Double](repeating: -1, count: a.1),
        finishReason: .stopToken, reward: a.0, extractedAnswer: nil)
    })
}

final class SCoReTokenWeightsTests: XCTestCase {
  let c = SCoReCoefficients()

  func testStageIPinsOnlyTurnOneTokens() throws {
    let episodes = [scoreEpisode("p", 0, [(0, 2), (1, 3)]), scoreEpisode("p", 1, [(1, 1), (0, 2)])]
    let w = try SCoReTokenWeights.build(
      episodes: episodes, sequenceKL: [[0, 0], [0, 0]], stage: .stageI(subStage: 1), coefficients: c)
    XCTAssertEqual(w.map(\.episode), [0, 0, 1, 1])
    XCTAssertEqual(w.map(\.turn), [0, 1, 0, 1])
    // Turn 1: no policy gradient, β2 + β1 = 0.11 on each of its tokens.
    XCTAssertEqual(w[0].tokenAdvantages, [0, 0])
    XCTAssertFalse(w[0].hasPolicyGradient)
    XCTAssertEqual(w[0].tokenKLWeights.count, 2)
    for x in w[0].tokenKLWeights + w[2].tokenKLWeights { XCTAssertEqual(x, 0.11, accuracy: 1e-12) }
    // Turn 2: returns (1, 0) → RLOO (1, −1), no KL pin.
    XCTAssertEqual(w[1].tokenAdvantages, [1, 1, 1])
    XCTAssertEqual(w[3].tokenAdvantages, [-1, -1])
    XCTAssertEqual(w[1].tokenKLWeights, [0, 0, 0])
    XCTAssertTrue(w[1].hasPolicyGradient)
    XCTAssertFalse(w[0].isInert)
  }

  /// Stage I with relative returns, one problem, four episodes (r1, r2), zero KL:
  /// (1, 1) kept, (0, 0) failed twice, (0, 1) fixed, (1, 0) broke. Plain returns r2 = (1, 0, 1, 0)
  /// give RLOO (2/3, −2/3, 2/3, −2/3): the kept copy is pushed up as much as the fix. Relative
  /// returns (0, 0, 1, −1), mean of the others (0, 0, −1/3, 1/3) → (0, 0, 4/3, −4/3).
  func testStageIRelativeReturnsCreditWhatTheSecondAttemptChanged() throws {
    let episodes = [
      scoreEpisode("p", 0, [(1, 1), (1, 1)]), scoreEpisode("p", 1, [(0, 1), (0, 1)]),
      scoreEpisode("p", 2, [(0, 1), (1, 1)]), scoreEpisode("p", 3, [(1, 1), (0, 1)]),
    ]
    let kl = [[Double]](repeating: [0, 0], count: 4)
    let plain = try SCoReTokenWeights.build(
      episodes: episodes, sequenceKL: kl, stage: .stageI(subStage: 1), coefficients: c)
    let relative = try SCoReTokenWeights.build(
      episodes: episodes, sequenceKL: kl, stage: .stageI(subStage: 1), coefficients: c, relativeReturn: true)
    let expectedPlain = [2.0 / 3, -2.0 / 3, 2.0 / 3, -2.0 / 3]
    let expectedRelative = [0, 0, 4.0 / 3, -4.0 / 3]
    for e in 0..<4 {
      XCTAssertEqual(plain[2 * e + 1].advantage, expectedPlain[e], accuracy: 1e-12)
      XCTAssertEqual(relative[2 * e + 1].advantage, expectedRelative[e], accuracy: 1e-12)
      XCTAssertEqual(relative[2 * e].tokenKLWeights, plain[2 * e].tokenKLWeights)  // the pin is unchanged
      XCTAssertFalse(relative[2 * e].hasPolicyGradient)
    }
  }

  func testStageIIDoesNotPenaliseACorrectFirstAnswer() throws {
    // Same problem: episode A right→right, episode B wrong→right.
    let episodes = [scoreEpisode("p", 0, [(1, 1), (1, 1)]), scoreEpisode("p", 1, [(0, 1), (1, 1)])]
    let w = try SCoReTokenWeights.build(
      episodes: episodes, sequenceKL: [[0, 0], [0, 0]], stage: .stageII, coefficients: c)
    // γ = 0: turn-1 returns (1, 0) → A's first attempt gets +1, B's −1.
    XCTAssertEqual(w[0].advantage, 1)
    XCTAssertEqual(w[2].advantage, -1)
    // Turn 2: shaped r̃2 = (1, 11) → (−10, +10).
    XCTAssertEqual(w[1].advantage, -10)
    XCTAssertEqual(w[3].advantage, 10)
    // A single episode-level scalar r1 + r̃2 = (2, 11) would give A's turn-1 tokens −9: the gotcha of §2.5.
    let trajectory = SCoReRLOO.advantages([1 + 1, 0 + 11])
    XCTAssertEqual(trajectory[0], -9)
    XCTAssertGreaterThan(w[0].advantage, 0)
  }

  func testKLFromReferenceLogProbsAndGroups() throws {
    // Two problems; group "q" has a single episode → baseline 0.
    let episodes = [
      scoreEpisode("p", 0, [(1, 2), (1, 1)]), scoreEpisode("q", 0, [(0, 1), (1, 1)]),
      scoreEpisode("p", 1, [(1, 2), (0, 1)]),
    ]
    // Sampling log-probs are −1; reference −1.5 → k1 = 0.5 per token.
    let ref: [[[Double]]] = [[[-1.5, -1.5], [-1.5]], [[-1], [-1]], [[-1, -1], [-1.5]]]
    let w = try SCoReTokenWeights.build(
      episodes: episodes, refLogProbs: ref, stage: .stageII, coefficients: c)
    // Turn 1, group p: KL = 2·0.5 = 1 → R = 0.99 (episode 0) vs KL = 0 → R = 1 (episode 2): ∓0.01.
    XCTAssertEqual(w[0].advantage, -0.01, accuracy: 1e-12)
    XCTAssertEqual(w[4].advantage, 0.01, accuracy: 1e-12)
    // Group q, turn 1: single episode, R = 0 → A = 0.
    XCTAssertEqual(w[2].advantage, 0, accuracy: 1e-12)
    // Turn 2, group p: R = 1 − 0.005 = 0.995 and 0 + 10·(0 − 1) − 0.005 = −10.005 → ±11.
    XCTAssertEqual(w[1].advantage, 11, accuracy: 1e-12)
    XCTAssertEqual(w[5].advantage, -11, accuracy: 1e-12)
    // Group q, turn 2: single episode, R = 1 + 10 − 0 = 11 (no baseline).
    XCTAssertEqual(w[3].advantage, 11, accuracy: 1e-12)
    XCTAssertThrowsError(
      try SCoReTokenWeights.build(episodes: episodes, refLogProbs: [[[-1]]], stage: .stageII, coefficients: c)
    )
    XCTAssertThrowsError(
      try SCoReTokenWeights.build(
        episodes: [episodes[0]], refLogProbs: [[[-1], [-1]]], stage: .stageII, coefficients: c))
  }

  func testInertTurnsBeyondTheStageISubStage() throws {
    let episodes = [
      scoreEpisode("p", 0, [(0, 1), (1, 1), (1, 2)]), scoreEpisode("p", 1, [(0, 1), (0, 1), (1, 2)]),
    ]
    let w = try SCoReTokenWeights.build(
      episodes: episodes, sequenceKL: [[0, 0, 0], [0, 0, 0]], stage: .stageI(subStage: 1), coefficients: c)
    XCTAssertTrue(w[2].isInert)
    XCTAssertEqual(w[2].tokenAdvantages, [0, 0])
    XCTAssertEqual(w[1].advantage, 1)
  }

  /// The doc comment's example, by hand: k = 2 first attempts of problem "p", m = 2 second attempts
  /// each (families share `sample`), Stage II with α = 0 and β1 = 0 so returns are the rewards.
  func testBranchedFamiliesTakeTurnTwoBaselinesAmongSiblings() throws {
    var plain = c
    plain.alpha = 0
    plain.beta1 = 0
    let episodes = [
      scoreEpisode("p", 0, [(0, 2), (1, 1)]), scoreEpisode("p", 0, [(0, 2), (0, 3)]),
      scoreEpisode("p", 1, [(1, 1), (1, 1)]), scoreEpisode("p", 1, [(1, 1), (1, 2)]),
    ]
    let kl = [[Double]](repeating: [0, 0], count: 4)
    let w = try SCoReTokenWeights.build(
      episodes: episodes, sequenceKL: kl, stage: .stageII, coefficients: plain, secondAttemptsPerFirst: 2)
    // Turn 1: family returns (0, 1) → RLOO (−1, +1), carried ×2 by each family's first episode.
    XCTAssertEqual(w[0].tokenAdvantages, [-2, -2])
    XCTAssertEqual(w[4].tokenAdvantages, [2])
    XCTAssertTrue(w[2].isInert)
    XCTAssertTrue(w[6].isInert)
    XCTAssertEqual(w[2].tokenAdvantages, [0, 0])
    // Turn 2: within family 0 (1, 0) → (+1, −1); within family 1 (1, 1) → (0, 0).
    XCTAssertEqual(w[1].tokenAdvantages, [1])
    XCTAssertEqual(w[3].tokenAdvantages, [-1, -1, -1])
    XCTAssertEqual(w[5].tokenAdvantages, [0])
    XCTAssertEqual(w[7].tokenAdvantages, [0, 0])
    // Unbranched, the same four episodes are four first attempts: turn 2 over all of them,
    // RLOO of (1, 0, 1, 1) = (4r − 3)/3 → (1/3, −1, 1/3, 1/3).
    let u = try SCoReTokenWeights.build(
      episodes: episodes, sequenceKL: kl, stage: .stageII, coefficients: plain)
    XCTAssertEqual(u[1].advantage, 1.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(u[3].advantage, -1, accuracy: 1e-12)
    // Turn 1 unbranched: RLOO of (0, 0, 1, 1) → (4·0 − 2)/3 = −2/3 on every copy, once each.
    XCTAssertEqual(u[0].advantage, -2.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(u[2].advantage, -2.0 / 3, accuracy: 1e-12)
  }

  /// Stage I with branching: the y1 pin is counted once per family, at m times the weight.
  func testBranchedStageIPinsEachFirstAttemptOnce() throws {
    let episodes = [
      scoreEpisode("p", 0, [(0, 2), (1, 1)]), scoreEpisode("p", 0, [(0, 2), (0, 1)]),
      scoreEpisode("p", 0, [(0, 2), (0, 1)]),
    ]
    let w = try SCoReTokenWeights.build(
      episodes: episodes, sequenceKL: [[Double]](repeating: [0, 0], count: 3), stage: .stageI(subStage: 1),
      coefficients: c, secondAttemptsPerFirst: 3)
    for x in w[0].tokenKLWeights { XCTAssertEqual(x, 3 * 0.11, accuracy: 1e-12) }
    XCTAssertEqual(w[2].tokenKLWeights, [0, 0])
    XCTAssertEqual(w[4].tokenKLWeights, [0, 0])
    // Turn 2 among the three siblings: (3·1 − 1)/2 = 1, (3·0 − 1)/2 = −0.5.
    XCTAssertEqual(w[1].advantage, 1, accuracy: 1e-12)
    XCTAssertEqual(w[3].advantage, -0.5, accuracy: 1e-12)
  }

  /// A step that draws problem "p" twice gives two groups whose samples share indices (0 and 0):
  /// families are runs of m episodes, so both first attempts keep their own term and turn-2
  /// baselines stay within each family. Misaligned families are an error.
  func testBranchedFamiliesAreFoundByPositionNotBySample() throws {
    var plain = c
    plain.alpha = 0
    plain.beta1 = 0
    let episodes = [
      scoreEpisode("p", 0, [(0, 2), (1, 1)]), scoreEpisode("p", 0, [(0, 2), (0, 1)]),
      scoreEpisode("p", 0, [(1, 3), (1, 1)]), scoreEpisode("p", 0, [(1, 3), (1, 1)]),
    ]
    let w = try SCoReTokenWeights.build(
      episodes: episodes, sequenceKL: [[Double]](repeating: [0, 0], count: 4), stage: .stageII,
      coefficients: plain, secondAttemptsPerFirst: 2)
    // Turn 1 over the two families (0, 1) → (−1, +1), ×2 on each family's first episode.
    XCTAssertEqual(w[0].tokenAdvantages, [-2, -2])
    XCTAssertEqual(w[4].tokenAdvantages, [2, 2, 2])
    XCTAssertTrue(w[6].isInert)
    // Turn 2: (1, 0) → (+1, −1) in family 0; (1, 1) → 0 in family 1.
    XCTAssertEqual(w[1].advantage, 1, accuracy: 1e-12)
    XCTAssertEqual(w[3].advantage, -1, accuracy: 1e-12)
    XCTAssertEqual(w[5].advantage, 0, accuracy: 1e-12)
    // Three episodes are not families of 2; a family whose first attempts differ is not one.
    XCTAssertThrowsError(
      try SCoReTokenWeights.build(
        episodes: Array(episodes.prefix(3)), sequenceKL: [[Double]](repeating: [0, 0], count: 3),
        stage: .stageII, coefficients: plain, secondAttemptsPerFirst: 2))
    XCTAssertThrowsError(
      try SCoReTokenWeights.build(
        episodes: [episodes[0], episodes[2]], sequenceKL: [[0, 0], [0, 0]], stage: .stageII,
        coefficients: plain, secondAttemptsPerFirst: 2))
  }
}
