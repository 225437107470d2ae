import Rollouts

/// Loss weights of one attempt of one episode, per sampled token (spec §2.7).
///
/// The trainer's loss for a batch of E episodes is
/// `(1/E) Σ_{e,t} Σ_i [ −tokenAdvantages[i] · log π_θ(y_{t,i}) + tokenKLWeights[i] · KL̂_i ]`
/// where KL̂_i is a differentiable per-token KL at position i (k3, or exact over the vocabulary):
/// sum over tokens within an attempt, mean over episodes ([OURS], spec §2.7). Only the attempt's
/// own sampled tokens appear; prompt, template and instruction tokens get no weight (§1.4 (b), (c)).
public struct SCoReTurnWeights: Sendable, Codable, Equatable {
  /// Index into the episode array the weights were built from.
  public var episode: Int
  /// Attempt index (0 = y1).
  public var turn: Int
  /// Leave-one-out advantage of this attempt (0 when it has no policy-gradient term).
  public var advantage: Double
  /// Whether the attempt has a policy-gradient term at all in this stage.
  public var hasPolicyGradient: Bool
  /// Per-token policy-gradient weight (the advantage, repeated over the attempt's tokens).
  public var tokenAdvantages: [Double]
  /// Per-token coefficient of the differentiable KL (β2 + β1 on pinned attempts in Stage I, else 0).
  public var tokenKLWeights: [Double]

  /// True when no token of this attempt contributes to the loss; a trainer may skip its forward pass.
  public var isInert: Bool { !hasPolicyGradient && tokenKLWeights.allSatisfy { $0 == 0 } }
}

public enum SCoReTokenWeights {
  /// Assembles the per-token weights of every attempt of every episode.
  ///
  /// `refLogProbs[e][t]` holds log π_ref of each sampled token of `episodes[e].attempts[t]`; with
  /// the sampling log-probs stored in the attempt it gives KL_t = Σ k1 (detached, inside the
  /// return). Returns are built per attempt (`SCoReRewards.turnTerms`), then RLOO baselines are
  /// taken per turn within each problem's group (episodes sharing `problemID`).
  ///
  /// Example (Stage I, α = 10, β1 = 0.01, β2 = 0.1; problem "p", two episodes, zero KL):
  /// episode 0 rewards (0, 1), 2 + 3 tokens; episode 1 rewards (1, 0), 1 + 2 tokens →
  /// turn-1 weights: advantages all 0, KL weights 0.11 per token ([0.11, 0.11] and [0.11]);
  /// turn-2 returns (1, 0) → advantages (1, −1): tokens [1, 1, 1] and [−1, −1], KL weights 0.
  public static func build(
    episodes: [SCoReEpisode], refLogProbs: [[[Double]]], stage: SCoReStage, coefficients: SCoReCoefficients,
    secondAttemptsPerFirst m: Int = 1, relativeReturn: Bool = false
  ) throws -> [SCoReTurnWeights] {
    guard refLogProbs.count == episodes.count else {
      throw SCoReTrainingError.lengthMismatch(
        "\(episodes.count) episodes vs \(refLogProbs.count) ref log-prob lists")
    }
    var kl: [[Double]] = []
    for (e, episode) in episodes.enumerated() {
      guard refLogProbs[e].count == episode.attempts.count else {
        throw SCoReTrainingError.lengthMismatch(
          "episode \(e): \(episode.attempts.count) attempts vs \(refLogProbs[e].count) ref log-prob lists")
      }
      kl.append(
        try episode.attempts.indices.map { t in
          try SCoReKL.k1Sum(logProbs: episode.attempts[t].logProbs, refLogProbs: refLogProbs[e][t])
        })
    }
    return try build(
      episodes: episodes, sequenceKL: kl, stage: stage, coefficients: coefficients, secondAttemptsPerFirst: m,
      relativeReturn: relativeReturn)
  }

  /// As `build(episodes:refLogProbs:…)` with the per-attempt KL sums given directly
  /// (`sequenceKL[e][t]` = Σ_i (log π_θ − log π_ref) over the tokens of attempt t of episode e).
  ///
  /// `secondAttemptsPerFirst` m > 1: the episodes come from a rollout with m second attempts per
  /// first attempt (`SCoReRolloutConfig.secondAttemptsPerFirst`), in the runner's order, so each run
  /// of m adjacent episodes — a family — holds one y1 (checked: same problem, same y1 tokens). Families
  /// are found by position, not by (problemID, sample): a step may draw the same problem twice, and
  /// its two groups' samples share indices. Then y1 is counted once per family: its term sits on the
  /// family's first episode with weight m (the loss still divides by all k·m episodes, so a first
  /// attempt weighs what it weighs unbranched) and the copies get none; turn-1 baselines are over
  /// a problem's families; and later turns take their leave-one-out baseline among the family — the
  /// m attempts that followed the same y1 — so a turn-2 advantage says what the second attempt did,
  /// not whether y1 happened to be right (with one second attempt per y1 the turn-2 baseline averages
  /// over other first attempts, and a copied right y1 scores as much as a correction).
  ///
  /// Example (Stage II, α = 0, β1 = 0, problem "p", k = 2, m = 2): families (y1 wrong: r2 = 1, 0)
  /// and (y1 right: r2 = 1, 1). Turn 1: family returns (0, 1) → RLOO (−1, 1), times the weight 2:
  /// token advantages −2 and 2 on each family's first episode, 0 on the copies. Turn 2:
  /// (1 − 0, 0 − 1) = (1, −1) in the first family, (0, 0) in the second — unbranched grouping would
  /// give (1/3, −1, 1/3, 1/3).
  public static func build(
    episodes: [SCoReEpisode], sequenceKL: [[Double]], stage: SCoReStage, coefficients: SCoReCoefficients,
    secondAttemptsPerFirst m: Int = 1, relativeReturn: Bool = false
  ) throws -> [SCoReTurnWeights] {
    guard sequenceKL.count == episodes.count else {
      throw SCoReTrainingError.lengthMismatch("\(episodes.count) episodes vs \(sequenceKL.count) KL lists")
    }
    guard m >= 1, episodes.count % m == 0 else {
      throw SCoReTrainingError.lengthMismatch("\(episodes.count) episodes are not families of \(m)")
    }
    // Family f = episodes[f·m ..< (f + 1)·m], sharing y1 (one episode per family when m = 1).
    for f in stride(from: 0, to: episodes.count, by: m) {
      let y1 = episodes[f].attempts.first?.tokens
      guard
        episodes[f..<f + m].allSatisfy({
          $0.problemID == episodes[f].problemID && $0.attempts.first?.tokens == y1
        })
      else {
        throw SCoReTrainingError.lengthMismatch("episodes \(f)..<\(f + m) do not share one first attempt")
      }
    }
    let terms = try episodes.indices.map { e in
      try SCoReRewards.turnTerms(
        rewards: episodes[e].rewards, kl: sequenceKL[e], stage: stage, coefficients: coefficients,
        relativeReturn: relativeReturn)
    }
    // y1's weight: m on the family's first episode, 0 on its copies.
    let y1Weight = episodes.indices.map { e in e % m == 0 ? Double(m) : 0 }
    // Per-turn RLOO over the episodes that have that turn with a return: turn 1 among a problem's
    // families, later turns among the problem's episodes (m = 1) or the family's (m > 1).
    let maxTurns = episodes.map(\.attempts.count).max() ?? 0
    var advantages = episodes.map { [Double](repeating: 0, count: $0.attempts.count) }
    for t in 0..<maxTurns {
      let members = episodes.indices.filter {
        terms[$0].count > t && terms[$0][t].policyReturn != nil && (t > 0 || y1Weight[$0] > 0)
      }
      let returns = members.map { terms[$0][t].policyReturn ?? 0 }
      let groups = members.map { e in m > 1 && t > 0 ? "family \(e / m)" : "problem " + episodes[e].problemID
      }
      let a = try SCoReRLOO.groupedAdvantages(returns, groups: groups)
      for (n, e) in members.enumerated() { advantages[e][t] = a[n] }
    }
    var out: [SCoReTurnWeights] = []
    for (e, episode) in episodes.enumerated() {
      for (t, attempt) in episode.attempts.enumerated() {
        let count = attempt.tokens.count
        let w = t == 0 ? y1Weight[e] : 1
        out.append(
          SCoReTurnWeights(
            episode: e, turn: t, advantage: advantages[e][t] * w,
            hasPolicyGradient: terms[e][t].policyReturn != nil && w > 0,
            tokenAdvantages: [Double](repeating: advantages[e][t] * w, count: count),
            tokenKLWeights: [Double](repeating: terms[e][t].klCoefficient * w, count: count)))
      }
    }
    return out
  }
}
