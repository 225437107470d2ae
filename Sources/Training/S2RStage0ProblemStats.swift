import Foundation

/// What stage 0 did with one benchmark problem (one line of `<out>.problems.jsonl`): the resume
/// marker of `S2RBenchmarkCollector` and the source of its summary.
public struct S2RStage0ProblemStats: Codable, Sendable, Equatable {
  public var id: String
  /// Samples drawn, samples with an extracted answer, samples graded right.
  public var attempts: Int
  public var answered: Int
  public var correct: Int
  /// Distinct extracted answers among the samples (before the cap).
  public var distinctAnswers: Int
  public var verifierCalls: Int
  /// Verifications kept (verdict agrees with the grader) and discarded by reason.
  public var kept: Int
  public var discarded: [String: Int]
  /// Trajectories written, and their numbers of wrong attempts.
  public var examples: Int
  public var wrongAttempts: [Int]

  public init(
    id: String, attempts: Int, answered: Int, correct: Int, distinctAnswers: Int, verifierCalls: Int,
    kept: Int,
    discarded: [String: Int], examples: Int, wrongAttempts: [Int]
  ) {
    self.id = id
    self.attempts = attempts
    self.answered = answered
    self.correct = correct
    self.distinctAnswers = distinctAnswers
    self.verifierCalls = verifierCalls
    self.kept = kept
    self.discarded = discarded
    self.examples = examples
    self.wrongAttempts = wrongAttempts
  }
}

/// Totals over finished problems, for the end-of-run summary.
public struct S2RStage0Summary: Sendable, Equatable {
  public var problems = 0
  public var attempts = 0
  public var answered = 0
  public var correct = 0
  public var distinctAnswers = 0
  public var verifierCalls = 0
  public var kept = 0
  public var discarded: [String: Int] = [:]
  public var examples = 0
  /// Wrong attempts per trajectory → number of trajectories.
  public var wrongAttemptHistogram: [Int: Int] = [:]
  /// Problems finished and records written by this run.
  public var newProblems = 0
  public var written = 0

  public init(_ stats: [S2RStage0ProblemStats] = []) {
    for s in stats {
      problems += 1
      attempts += s.attempts
      answered += s.answered
      correct += s.correct
      distinctAnswers += s.distinctAnswers
      verifierCalls += s.verifierCalls
      kept += s.kept
      discarded.merge(s.discarded, uniquingKeysWith: +)
      examples += s.examples
      for w in s.wrongAttempts { wrongAttemptHistogram[w, default: 0] += 1 }
    }
  }

  public var description: String {
    let reasons = discarded.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    let hist = wrongAttemptHistogram.sorted { $0.key < $1.key }.map { "\($0.key)→\($0.value)" }
      .joined(separator: ", ")
    return "\(problems) problems, \(attempts) attempts (\(answered) with an answer, \(correct) right), "
      + "\(distinctAnswers) distinct answers, \(verifierCalls) verifier calls: \(kept) verifications kept, "
      + "\(discarded.values.reduce(0, +)) discarded (\(reasons.isEmpty ? "none" : reasons)); "
      + "\(examples) trajectories (wrong attempts → count: \(hist.isEmpty ? "none" : hist))"
  }
}
