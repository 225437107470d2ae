import Generation

/// A checker's verdict on one attempt: r̂(y, y*) and the answer it read (nil when none parsed).
public typealias SCoReCheck = (reward: Double, extracted: String?)

/// The oracle reward r̂(y, y*) (spec §5): math equivalence, unit tests, a synthetic rule. It may
/// run a sandbox, hence `async throws`. Only called at training time or for scoring evaluations;
/// its verdict never reaches the model (intrinsic self-correction, §1.1).
public typealias SCoReChecker = @Sendable (SCoReProblem, String) async throws -> SCoReCheck

/// How to roll out SCoRe episodes.
public struct SCoReRolloutConfig: Sendable, Codable, Equatable {
  /// k first attempts per problem (the RLOO group; [OURS] default 4, spec §2.1).
  public var samplesPerProblem: Int
  /// m second attempts sampled from each first attempt (1: one episode per first attempt). With m > 1
  /// every first attempt is followed by m independent second attempts, so a problem yields k·m
  /// episodes and the turn-2 leave-one-out baseline can be taken among attempts that share y1
  /// (`SCoReTokenWeights`) — [OURS]: spec §2.1 leaves the split of samples to us.
  public var secondAttemptsPerFirst: Int
  /// Attempts per episode (2 in the paper's main results; more for §1.5).
  public var turns: Int
  /// Temperature 1 for training rollouts, greedy (0) for evaluation (§1.6).
  public var params: SamplingParams
  public var layout: SCoRePromptLayout
  /// Seed of the whole batch; each request's seed is derived from it, the turn and the index.
  public var seed: UInt64

  public init(
    samplesPerProblem: Int = 4, secondAttemptsPerFirst: Int = 1, turns: Int = 2,
    params: SamplingParams = SamplingParams(), layout: SCoRePromptLayout = .chat, seed: UInt64 = 0
  ) {
    self.samplesPerProblem = samplesPerProblem
    self.secondAttemptsPerFirst = secondAttemptsPerFirst
    self.turns = turns
    self.params = params
    self.layout = layout
    self.seed = seed
  }

  /// Episodes that share one first attempt: `secondAttemptsPerFirst` when there is a second turn to
  /// branch into, else 1 (a one-turn rollout has nothing to branch). The runner's order and
  /// `SCoReTokenWeights`' families both follow it.
  public var episodesPerFirstAttempt: Int { turns >= 2 ? secondAttemptsPerFirst : 1 }
}

public enum SCoReRolloutError: Error, Equatable, CustomStringConvertible {
  case invalidConfig(String)
  case wrongSampleCount(turn: Int, expected: Int, got: Int)

  public var description: String {
    switch self {
    case .invalidConfig(let why): return "invalid SCoRe rollout config: \(why)"
    case .wrongSampleCount(let turn, let expected, let got):
      return "language model returned \(got) sample lists for turn \(turn), expected \(expected)"
    }
  }
}

/// Rolls out SCoRe episodes (spec §1.2, §1.5, §2.7): for every problem, k first attempts
/// sampled from x1 in one request (`n = k`), then for every episode one next attempt from
/// `x ⊕ y1 ⊕ p ⊕ … ⊕ y_{t−1} ⊕ p`, for `turns` attempts. All requests of a turn go to the model
/// in one `complete` call (the backend batches them). Each attempt is scored by `checker`.
///
/// Output order: problem-major, then sample j = 0..<k, then branch b = 0..<m
/// (`secondAttemptsPerFirst`), i.e. `episodes[(i * k + j) * m + b]`; the m branches of a first
/// attempt share its `sample` index and hold the same y1.
public struct SCoReEpisodeRunner: Sendable {
  public var model: any LanguageModel
  public var prompts: SCoRePromptSet
  public var config: SCoReRolloutConfig

  public init(model: any LanguageModel, prompts: SCoRePromptSet, config: SCoReRolloutConfig) {
    self.model = model
    self.prompts = prompts
    self.config = config
  }

  public func run(problems: [SCoReProblem], checker: @escaping SCoReChecker) async throws -> [SCoReEpisode] {
    let k = config.samplesPerProblem
    guard k >= 1 else { throw SCoReRolloutError.invalidConfig("samplesPerProblem must be ≥ 1, got \(k)") }
    guard config.turns >= 1 else {
      throw SCoReRolloutError.invalidConfig("turns must be ≥ 1, got \(config.turns)")
    }
    let m = config.secondAttemptsPerFirst
    guard m >= 1 else {
      throw SCoReRolloutError.invalidConfig("secondAttemptsPerFirst must be ≥ 1, got \(m)")
    }
    if problems.isEmpty { return [] }
    let params = samplingParams

    // Turn 1: one request per problem with n = k.
    let firstRequests = problems.enumerated().map { i, problem in
      CompletionRequest(
        prompt: prompts.context(problem: problem, previousAttempts: [], layout: config.layout),
        params: params,
        n: k, seed: Self.requestSeed(config.seed, turn: 1, index: i))
    }
    let firstOutputs = try await model.complete(firstRequests)
    guard firstOutputs.count == problems.count, firstOutputs.allSatisfy({ $0.count == k }) else {
      throw SCoReRolloutError.wrongSampleCount(
        turn: 1, expected: problems.count * k, got: firstOutputs.reduce(0) { $0 + $1.count })
    }
    var contexts: [Prompt] = []
    var sequences: [GeneratedSequence] = []
    var owners: [SCoReProblem] = []
    for (i, problem) in problems.enumerated() {
      for j in 0..<k {
        contexts.append(firstRequests[i].prompt)
        sequences.append(firstOutputs[i][j])
        owners.append(problem)
      }
    }
    var episodes = owners.enumerated().map { e, p in
      SCoReEpisode(problemID: p.id, sample: e % k, attempts: [])
    }
    try await Self.append(sequences, contexts: contexts, to: &episodes, problems: owners, checker: checker)
    if config.episodesPerFirstAttempt > 1 {
      // Branch: m copies of each one-attempt episode, adjacent, each continued with its own seed.
      episodes = episodes.flatMap { [SCoReEpisode](repeating: $0, count: m) }
      owners = owners.flatMap { [SCoReProblem](repeating: $0, count: m) }
    }
    return try await continueEpisodes(episodes, problems: owners, checker: checker)
  }

  /// Samples attempts t = (attempts so far) + 1 … `config.turns` for every episode, each
  /// conditioned on all of that episode's previous attempts; `problems[e]` is episode e's problem.
  /// Used by `run`, and directly for first attempts that come from elsewhere: base-model samples
  /// as extra turn-2 contexts (state-coverage augmentation, spec §2.6) or MBPP-R's given wrong
  /// programs (§5.2; an attempt with no tokens). Episodes must all hold the same number of
  /// attempts ≥ 1.
  public func continueEpisodes(
    _ episodes: [SCoReEpisode], problems: [SCoReProblem], checker: @escaping SCoReChecker
  ) async throws -> [SCoReEpisode] {
    guard episodes.count == problems.count else {
      throw SCoReRolloutError.invalidConfig("\(episodes.count) episodes but \(problems.count) problems")
    }
    guard let done = episodes.first?.attempts.count else { return [] }
    guard done >= 1, episodes.allSatisfy({ $0.attempts.count == done }) else {
      throw SCoReRolloutError.invalidConfig(
        "episodes to continue must all hold the same number (≥ 1) of attempts")
    }
    let params = samplingParams
    var episodes = episodes
    for turn in stride(from: done + 1, through: config.turns, by: 1) {
      let requests = episodes.enumerated().map { e, episode in
        CompletionRequest(
          prompt: prompts.context(
            problem: problems[e], previousAttempts: episode.attempts.map(\.text), layout: config.layout),
          params: params, n: 1, seed: Self.requestSeed(config.seed, turn: turn, index: e))
      }
      let outputs = try await model.complete(requests)
      guard outputs.count == episodes.count, outputs.allSatisfy({ $0.count == 1 }) else {
        throw SCoReRolloutError.wrongSampleCount(
          turn: turn, expected: episodes.count, got: outputs.reduce(0) { $0 + $1.count })
      }
      try await Self.append(
        outputs.map { $0[0] }, contexts: requests.map(\.prompt), to: &episodes, problems: problems,
        checker: checker)
    }
    return episodes
  }

  /// The configured sampling parameters plus the prompt set's stop strings (sorted, deduplicated).
  public var samplingParams: SamplingParams {
    var params = config.params
    params.stopStrings = Array(Set(params.stopStrings).union(prompts.stopStrings)).sorted()
    return params
  }

  /// Scores `sequences[e]` (concurrently, order kept) and appends it to `episodes[e]`.
  static func append(
    _ sequences: [GeneratedSequence], contexts: [Prompt], to episodes: inout [SCoReEpisode],
    problems: [SCoReProblem], checker: @escaping SCoReChecker
  ) async throws {
    let checks = try await withThrowingTaskGroup(of: (Int, SCoReCheck).self) { group in
      for (e, seq) in sequences.enumerated() {
        let problem = problems[e]
        group.addTask { (e, try await checker(problem, seq.text)) }
      }
      var out = [SCoReCheck](repeating: (0, nil), count: sequences.count)
      for try await (e, check) in group { out[e] = check }
      return out
    }
    for (e, seq) in sequences.enumerated() {
      episodes[e].attempts.append(
        SCoReAttempt(
          prompt: contexts[e], text: seq.text, tokens: seq.tokens, logProbs: seq.logProbs,
          finishReason: seq.finishReason, reward: checks[e].reward, extractedAnswer: checks[e].extracted))
    }
  }

  /// SplitMix64 finaliser of (seed, turn, index): distinct, reproducible seeds per request.
  ///
  /// Example: `requestSeed(0, turn: 1, index: 0)` is fixed across runs and differs from
  /// `requestSeed(0, turn: 2, index: 0)`.
  public static func requestSeed(_ seed: UInt64, turn: Int, index: Int) -> UInt64 {
    var z = seed &+ UInt64(truncatingIfNeeded: turn) &* 0x9E37_79B9_7F4A_7C15
    z = z &+ UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
