import Datasets
import TensorCore

/// Pre-training texts for the tiny base model that every method starts from: single attempts and
/// two-turn "attempt, instruction, attempt" transcripts whose solutions are correct with
/// probability 1 − `noise` (otherwise one of the task's plausible slips).
///
/// The second turn is an independent attempt (copying the first with probability `copyRate`),
/// so the base model learns the two-turn *format* without any link between turn 2 and the
/// correctness of turn 1 — the "no intrinsic self-correction" starting point both papers
/// report for real models (SCoRe Table 2: base Δ < 0; here Δ ≈ 0 by construction).
public struct SyntheticCorpus: Codable, Sendable, Equatable {
  public var noise: Double
  public var twoTurnFraction: Double
  public var copyRate: Double

  public init(noise: Double = 0.3, twoTurnFraction: Double = 0.3, copyRate: Double = 0.5) {
    self.noise = noise
    self.twoTurnFraction = twoTurnFraction
    self.copyRate = copyRate
  }

  /// One (prompt, completion) text pair per problem, drawn with `rng`.
  public func examples(_ problems: [SyntheticProblem], rng: inout SeededRNG) -> [(
    prompt: String, completion: String
  )] {
    problems.map { p in
      func attempt() -> String {
        rng.nextUniform() < noise
          ? SyntheticTask.wrongSolution(for: p, using: &rng).text : SyntheticTask.solution(for: p)
      }
      let y1 = attempt()
      if rng.nextUniform() < twoTurnFraction {
        let y2 = rng.nextUniform() < copyRate ? y1 : attempt()
        return (SyntheticFormat.secondTurnPrompt(p, firstAttempt: y1), y2)
      }
      return (SyntheticFormat.prompt(p), y1)
    }
  }
}
