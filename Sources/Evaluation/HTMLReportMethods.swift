/// Display names, order and one-line descriptions of the methods and training stages a `recheck demo`
/// run directory holds (the order of the README's results tables). Names not listed keep their
/// directory name and come after the known ones, alphabetically.
enum HTMLReportMethods {
  static let known: [(key: String, label: String, caption: String)] = [
    ("base", "base", "Base model trained from scratch on the synthetic task's corpus (next-token NLL)."),
    ("s2r_bi", "S²R-BI", "S²R behaviour initialisation: SFT on solve → verify → correct trajectories."),
    ("s2r_orl", "S²R-ORL", "S²R outcome-level RL (reward of the final answer)."),
    ("s2r_prl", "S²R-PRL", "S²R process-level RL (reward per verify / correct action)."),
    (
      "self_refine", "Self-Refine",
      "Self-Refine: the base model prompted for feedback, then a rewrite (no training)."
    ),
    ("pair_sft", "Pair-SFT", "Pair-SFT baseline: fine-tuning on (wrong → right) attempt pairs."),
    (
      "star", "STaR",
      "STaR baseline: iterations of keeping successful self-corrections and fine-tuning on them."
    ),
    ("single_turn_rl", "single-turn RL", "Single-turn RL baseline: turn-1 reward only."),
    (
      "multi_turn_rl", "multi-turn RL",
      "Multi-turn RL without Stage I and without reward shaping (the collapse ablation)."
    ),
    (
      "score_stage1", "SCoRe Stage I",
      "SCoRe Stage I: turn-2 reward with a strong KL penalty (β2) keeping turn 1 near the base."
    ),
    ("score", "SCoRe", "SCoRe Stage II: both turns trained, turn-2 reward shaped by the progress bonus."),
  ]

  static func label(_ key: String) -> String { known.first { $0.key == key }?.label ?? key }
  static func caption(_ key: String) -> String? { known.first { $0.key == key }?.caption }

  /// Known names in table order, then the rest alphabetically.
  static func ordered<S: Sequence<String>>(_ names: S) -> [String] {
    let rank = Dictionary(uniqueKeysWithValues: known.enumerated().map { ($1.key, $0) })
    return names.sorted { a, b in
      let (ra, rb) = (rank[a] ?? Int.max, rank[b] ?? Int.max)
      return ra != rb ? ra < rb : a < b
    }
  }
}
