/// One sampled attempt of the base policy on a stage-0 problem (spec §2.1).
public struct S2RSampledAttempt: Sendable, Codable, Equatable {
  /// The response text (one solve action).
  public var text: String
  /// Its extracted final answer ("" when none; such attempts are never verified or used).
  public var answer: String
  /// Whether `answer` is right (the caller's checker: `MathGrader`, a synthetic task's check, …).
  public var correct: Bool

  public init(text: String, answer: String, correct: Bool) {
    self.text = text
    self.answer = answer
    self.correct = correct
  }
}

/// A stage-0 problem with its K sampled attempts.
public struct S2RStage0Problem: Sendable, Codable, Equatable {
  public var id: String
  public var problem: String
  public var attempts: [S2RSampledAttempt]

  public init(id: String, problem: String, attempts: [S2RSampledAttempt]) {
    self.id = id
    self.problem = problem
    self.attempts = attempts
  }
}

/// An attempt with a verification whose verdict agrees with the truth.
public struct S2RVerifiedPair: Sendable, Codable, Equatable {
  public var attempt: S2RSampledAttempt
  public var verification: String

  public init(attempt: S2RSampledAttempt, verification: String) {
    self.attempt = attempt
    self.verification = verification
  }
}

/// Step-2 output of one problem (spec §2.2–2.3): the pools a trajectory is drawn from. Written to a
/// resumable JSONL keyed by `id` (the expensive, verifier-calling step), so assembly can be rerun
/// with other options or seeds without new verifier calls.
public struct S2RVerifiedProblem: Sendable, Codable, Equatable {
  public var id: String
  public var problem: String
  /// Number of sampled attempts that are wrong (difficulty, spec §2.3 table).
  public var wrongCount: Int
  /// Right attempts whose verification says correct.
  public var correctPool: [S2RVerifiedPair]
  /// Wrong attempts whose verification says incorrect, one per distinct answer.
  public var incorrectPool: [S2RVerifiedPair]
  /// Verifier calls made, and how many verifications were dropped (undetermined or disagreeing).
  public var verifierCalls: Int
  public var discarded: Int
  /// `discarded` by `S2RDataBuilder.DiscardReason` raw value (nil in records written before it existed).
  public var discardReasons: [String: Int]?

  public init(
    id: String, problem: String, wrongCount: Int, correctPool: [S2RVerifiedPair],
    incorrectPool: [S2RVerifiedPair],
    verifierCalls: Int, discarded: Int
  ) {
    self.id = id
    self.problem = problem
    self.wrongCount = wrongCount
    self.correctPool = correctPool
    self.incorrectPool = incorrectPool
    self.verifierCalls = verifierCalls
    self.discarded = discarded
  }
}

/// One SFT example in the spec's format (§7): `prompt` (chat-templated, ends with the assistant
/// header) and `answer` (the trajectory plus the template's end of turn), optional `weight`.
/// `id` is the problem id; `wrong_attempts` records the trajectory's difficulty level.
public struct S2RSFTExample: Sendable, Codable, Equatable {
  public var id: String
  public var prompt: String
  public var answer: String
  public var weight: Double?
  public var wrongAttempts: Int

  enum CodingKeys: String, CodingKey {
    case id, prompt, answer, weight
    case wrongAttempts = "wrong_attempts"
  }

  public init(id: String, prompt: String, answer: String, weight: Double? = nil, wrongAttempts: Int) {
    self.id = id
    self.prompt = prompt
    self.answer = answer
    self.weight = weight
    self.wrongAttempts = wrongAttempts
  }
}

/// Difficulty → trajectory mix of spec §2.3 (`select_train_data`), with the official numbers as
/// defaults.
public struct S2RTrajectoryMix: Sendable, Codable, Equatable {
  /// Wanted wrong attempts by `wrongCount` (index clamped to the last entry): 0 → 0, 1 → 1, 2–3 → 2,
  /// ≥ 4 → 3.
  public var targetWrongAttempts: [Int] = [0, 1, 2, 2, 3]
  /// Keep probability when the target is met, by number of wrong attempts (0: 0.76 × 0.45 × 0.7).
  public var keepProbability: [Double] = [0.76 * 0.45 * 0.7, 0.5, 0.5, 0.5]
  /// Keep probability when the incorrect pool is smaller than the target (fewer wrong attempts).
  public var keepProbabilityWhenShort: Double = 1
  /// Distinct answers verified per problem (spec §2.2).
  public var maxDistinctAnswers: Int = 5

  public init() {}
}
