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
///
/// With `checkInSecondTurn` the second turn first checks turn 1 (`SyntheticTask.checkWork`, right
/// every time) and then gives that same independent attempt: "Check: T=11, 2+7=9, 11-9=2, not same. 2+7.
/// \boxed{27}". The base thus *can* check an answer — the papers' premise for their models, which
/// verify better than they solve — but has never seen a check change what follows.
///
/// With `recheckFraction` that share of the single attempts goes on with S²R's check marker and the
/// same check, then ends: "2+7. \boxed{27}\n\nWait, let me recheck my solution.\n\nCheck: T=11,
/// 2+7=9, 11-9=2, not same." — no verdict sentence and never a retry, so behaviour initialisation
/// still has to teach both. Why: a BI model fine-tuned from a base that had checked only in the
/// second-turn context lost the skill where S²R uses it: it accepted 79 of 105 wrong first attempts,
/// where the base's own checks had rejected 98 of 109 (at SFT lr 3e-4: 94 of 113, writing "T=13"
/// for T = 12 and "13-12=0").
public struct SyntheticCorpus: Codable, Sendable, Equatable {
  public var noise: Double
  public var twoTurnFraction: Double
  public var copyRate: Double
  public var checkInSecondTurn: Bool
  public var recheckFraction: Double
  /// Anchor pick's share of wrong attempts that are a wrong anchor, an off-list pick
  /// (`SyntheticTask.wrongSolution(for:offListShare:using:)`, drawn in thirds); the rest are
  /// another pair of the list, which anchor pick writes as a subtraction slip ("2, 11-2=7").
  /// Configs written before it existed mean 1/3.
  public var offListShare: Double
  /// A second turn that is not a copy is redrawn until its answer differs from turn 1's: the base
  /// learns that a rewrite changes the answer — after a right turn 1 as after a wrong one, since the
  /// choice to rewrite never looks at the check — instead of re-solving into the same mode. Tried on
  /// anchor pick (session 22, Docs/reproduction.md): SCoRe then learned to rewrite, not when (seed 1
  /// Δ −7.5); with a base trained twice as long, whose checks rarely call a right pick wrong, and two
  /// second attempts per first in SCoRe (session 23) it learned when, and anchor pick's preset sets
  /// it. Configs written before it existed mean false.
  public var rewriteDiffers: Bool

  public init(
    noise: Double = 0.3, twoTurnFraction: Double = 0.3, copyRate: Double = 0.5,
    checkInSecondTurn: Bool = false, recheckFraction: Double = 0, offListShare: Double = 1.0 / 3,
    rewriteDiffers: Bool = false
  ) {
    self.rewriteDiffers = rewriteDiffers
    self.recheckFraction = recheckFraction
    self.offListShare = offListShare
    self.noise = noise
    self.twoTurnFraction = twoTurnFraction
    self.copyRate = copyRate
    self.checkInSecondTurn = checkInSecondTurn
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    noise = try c.decode(Double.self, forKey: .noise)
    twoTurnFraction = try c.decode(Double.self, forKey: .twoTurnFraction)
    copyRate = try c.decode(Double.self, forKey: .copyRate)
    checkInSecondTurn = try c.decodeIfPresent(Bool.self, forKey: .checkInSecondTurn) ?? false
    recheckFraction = try c.decodeIfPresent(Double.self, forKey: .recheckFraction) ?? 0
    offListShare = try c.decodeIfPresent(Double.self, forKey: .offListShare) ?? 1.0 / 3
    rewriteDiffers = try c.decodeIfPresent(Bool.self, forKey: .rewriteDiffers) ?? false
  }

  /// One (prompt, completion) text pair per problem, drawn with `rng`.
  public func examples(_ problems: [SyntheticProblem], rng: inout SeededRNG) -> [(
    prompt: String, completion: String
  )] {
    problems.map { p in
      func attempt() -> (text: String, answer: Int) {
        rng.nextUniform() < noise
          ? SyntheticTask.wrongSolution(for: p, offListShare: offListShare, using: &rng)
          : (SyntheticTask.solution(for: p), p.answer)
      }
      let y1 = attempt()
      if rng.nextUniform() < twoTurnFraction {
        let copy = rng.nextUniform() < copyRate
        var y2 = copy ? y1 : attempt()
        // Redrawn until it differs (bounded: a problem with a single slip and noise 1 has no other).
        var draws = 0
        while rewriteDiffers && !copy && y2.answer == y1.answer && draws < 100 {
          y2 = attempt()
          draws += 1
        }
        let check = checkInSecondTurn ? SyntheticTask.checkWork(for: p, answer: y1.answer) + " " : ""
        return (SyntheticFormat.secondTurnPrompt(p, firstAttempt: y1.text), check + y2.text)
      }
      if recheckFraction > 0, rng.nextUniform() < recheckFraction {
        let check = SyntheticFormat.checkMarker + SyntheticTask.checkWork(for: p, answer: y1.answer)
        return (SyntheticFormat.prompt(p), y1.text + check)
      }
      return (SyntheticFormat.prompt(p), y1.text)
    }
  }
}
