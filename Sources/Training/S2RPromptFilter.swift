import Rollouts

/// Which problems S²R's RL stages train on, by how often the base solved them in stage 0.
///
/// Why: the paper's RL sets are "problems that are too easy/hard for the SFT policy removed"
/// [P §3.1; spec s2r.md §4.7, "data", and note 19], and the filtering script is not published, so the
/// rule is ours: keep a problem when the fraction of its stage-0 attempts graded right lies in
/// `range`. Stage 0's K samples per problem are already drawn (from the base, whose first attempts
/// the SFT policy's follow: BI is the base trained on trajectories that open with them), so the
/// filter costs no sampling. A problem every attempt solves gives RL rollouts that stop after one
/// accepted attempt — nothing for a retry or a late check to learn — and one no attempt solves gives
/// only wrong attempts.
///
/// Example (K = 5, range 0.2…0.8): attempts right ✓✓✓✓✓ → 1.0, dropped; ✓✗✗✗✗ → 0.2, kept;
/// ✓✓✗✓✗ → 0.6, kept; ✗✗✗✗✗ → 0.0, dropped.
public enum S2RPromptFilter {
  /// The fraction of a problem's stage-0 attempts graded right (0 when it has none).
  public static func accuracy(_ problem: S2RStage0Problem) -> Double {
    problem.attempts.isEmpty
      ? 0 : Double(problem.attempts.filter(\.correct).count) / Double(problem.attempts.count)
  }

  /// Each problem's accuracy by id (the run directory keeps this table: `s2r_stage0_accuracy.json`).
  public static func accuracies(_ problems: [S2RStage0Problem]) -> [String: Double] {
    Dictionary(problems.map { ($0.id, accuracy($0)) }, uniquingKeysWith: { first, _ in first })
  }

  /// The ids whose accuracy lies in `range`.
  public static func keptIDs(_ accuracies: [String: Double], range: ClosedRange<Double>) -> Set<String> {
    Set(accuracies.filter { range.contains($0.value) }.keys)
  }
}
