import Evaluation

/// What one seed's demo run leaves for aggregation: its table values and the per-problem outcomes
/// they were computed from (held-out problems in one order, the same for every method), so that
/// intervals can be bootstrapped over problems.
struct DemoSeedResult {
  var seed: UInt64
  /// This seed's point values (no intervals).
  var tables: DemoTables
  /// Two-turn methods: per problem, correctness of turn 1 and turn 2.
  var turns: [String: [[Bool]]] = [:]
  /// Self-verifying methods: per problem, attempts, verdicts and the final answer's correctness.
  var records: [String: [S2RProblemRecord]] = [:]
  /// Verified first attempts: "base_attempts" (the BI model checking the base's greedy first
  /// attempts) and "bi_own" (the BI model's own first attempt and first verdict).
  var checked: [String: [S2RCheckedAttempt]] = [:]
  /// Method names in the order they ran (the printed tables' order).
  var scoreOrder: [String] = []
  var s2rOrder: [String] = []
}
