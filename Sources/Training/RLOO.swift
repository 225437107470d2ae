/// REINFORCE leave-one-out baseline (Ahmadian et al. 2024; S²R spec §4.4, SCoRe): each sample's
/// advantage is its reward minus the mean reward of the other samples of the same prompt.
///
/// Example: `RLOO.advantages([1, 0, 0, 1])` is `[2/3, −2/3, −2/3, 2/3]` (1 − (0+0+1)/3 = 2/3);
/// `[1, -1, 1, -1]` gives `[4/3, −4/3, 4/3, −4/3]`; equal rewards give zeros; one sample gives `[0]`.
public enum RLOO {
  /// Advantages of one group (the samples of one prompt).
  public static func advantages(_ rewards: [Double]) -> [Double] {
    let m = Double(rewards.count)
    guard rewards.count > 1 else { return rewards.map { _ in 0 } }
    let total = rewards.reduce(0, +)
    return rewards.map { $0 - (total - $0) / (m - 1) }
  }

  /// Advantages of consecutive groups of `groupSize` (rollout order: prompt-major). A trailing partial
  /// group is treated as its own group.
  public static func advantages(_ rewards: [Double], groupSize: Int) -> [Double] {
    let g = max(groupSize, 1)
    return stride(from: 0, to: rewards.count, by: g).flatMap {
      advantages(Array(rewards[$0..<min($0 + g, rewards.count)]))
    }
  }
}
