import Generation
import Rollouts

/// One graded attempt of an evaluated problem.
public struct EvalAttempt: Codable, Sendable, Equatable {
  /// The context the attempt was sampled from (SCoRe: `x ⊕ y1 ⊕ p ⊕ …`); nil for S²R attempts,
  /// which are parts of one response (the record's `prompt` is their context).
  public var prompt: Prompt?
  public var text: String
  /// The answer read from the text (math: `AnswerExtractor`; synthetic: the last box; code: nil).
  public var extracted: String?
  public var correct: Bool
  /// r̂(y, y*): 1 right, 0 wrong (code: all tests pass).
  public var reward: Double
  /// Why: the grader's rule ("rational", "not-equivalent", …) or the sandbox verdict and detail.
  public var detail: String?
  /// S²R: the verification written after this attempt, and its verdict.
  public var verification: String?
  public var verdict: S2RVerdict?
  /// How generation ended and how many tokens it sampled (SCoRe/single attempts only).
  public var finishReason: FinishReason?
  public var tokens: Int?

  public init(
    prompt: Prompt? = nil, text: String, extracted: String?, correct: Bool, reward: Double,
    detail: String? = nil, verification: String? = nil, verdict: S2RVerdict? = nil,
    finishReason: FinishReason? = nil, tokens: Int? = nil
  ) {
    self.prompt = prompt
    self.text = text
    self.extracted = extracted
    self.correct = correct
    self.reward = reward
    self.detail = detail
    self.verification = verification
    self.verdict = verdict
    self.finishReason = finishReason
    self.tokens = tokens
  }
}

/// One line of a run's `results.jsonl`: a problem with all its attempts, keyed by `id`.
public struct EvalRecord: Codable, Sendable, Equatable {
  public var id: String
  /// Position of the problem in the data file (the summary orders rows by it).
  public var index: Int
  public var source: String
  /// "math", "humanEval", "mbpp" or "synthetic".
  public var task: String
  public var evalProtocol: String
  /// The reference answer (code: the entry point or the asserts, for reading only).
  public var reference: String
  /// The first context.
  public var prompt: Prompt
  public var attempts: [EvalAttempt]
  /// SCoRe: the turns sampled; S²R: attempts in the kept response.
  public var attemptsUsed: Int
  /// The answer the protocol's final output gives (S²R: last box anywhere, s2r.md §6.3).
  public var finalAnswer: String?
  public var finalCorrect: Bool
  /// S²R only: the whole kept response and why it stopped.
  public var response: String?
  public var stopReason: S2RStopReason?

  public init(
    id: String, index: Int, source: String, task: String, evalProtocol: String, reference: String,
    prompt: Prompt, attempts: [EvalAttempt], attemptsUsed: Int, finalAnswer: String?, finalCorrect: Bool,
    response: String? = nil, stopReason: S2RStopReason? = nil
  ) {
    self.id = id
    self.index = index
    self.source = source
    self.task = task
    self.evalProtocol = evalProtocol
    self.reference = reference
    self.prompt = prompt
    self.attempts = attempts
    self.attemptsUsed = attemptsUsed
    self.finalAnswer = finalAnswer
    self.finalCorrect = finalCorrect
    self.response = response
    self.stopReason = stopReason
  }

  /// Correctness by attempt for SCoRe metrics: every attempt (single, score), or [first, final]
  /// for S²R (s2r.md §8: first-attempt and final accuracy).
  public var correctness: [Bool] {
    if evalProtocol == EvalProtocol.s2r(maxAttempts: 1).name {
      return [attempts.first?.correct ?? false, finalCorrect]
    }
    return attempts.map(\.correct)
  }

  /// What S²R's behaviour metrics read: attempts' correctness and the verdict after each.
  public var s2rRecord: S2RProblemRecord {
    S2RProblemRecord(
      attemptsCorrect: attempts.map(\.correct), verdicts: attempts.map(\.verdict), finalCorrect: finalCorrect)
  }
}
