/// Splits a batch of right-padded sequences into a few groups of similar length, so that each
/// group is padded only to its own longest member instead of the batch's.
///
/// Why: S²R trajectories hold one to four attempts, so their lengths differ by up to 5×; padded to
/// the batch maximum, a batch of 16 computes ≈ 2× the useful positions (≈ 3× the attention work,
/// which grows with length²). Scoring the groups separately gives the same per-token values, since
/// a causal model's outputs at real positions never depend on the right padding or on the other rows.
///
/// The split minimises the padded positions Σ_g |g|·max_len(g) over at most `maxGroups` groups.
/// Sorting by length and cutting the sorted order into runs is optimal for that cost (an exchange
/// argument: a longer sequence in a shorter run can be swapped without raising either maximum), and
/// a dynamic programme finds the best cuts. A cut is made only when it strictly lowers the cost.
///
/// Example: lengths [10, 2, 9, 3], maxGroups 2 → one group costs 4·10 = 40; the best split is
/// {10, 9} + {3, 2} = 2·10 + 2·3 = 26, returned as [[0, 2], [3, 1]] (indices, longest first).
public enum LengthBuckets {
  public static func groups(lengths: [Int], maxGroups: Int) -> [[Int]] {
    let n = lengths.count
    if n == 0 { return [] }
    // Stable sort, longest first: ties keep their input order.
    let order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
    let sorted = order.map { lengths[$0] }
    let k = max(1, min(maxGroups, n))
    // best[g][j]: least cost of the first j sorted sequences in g groups; the run i..<j costs
    // (j − i)·sorted[i] since sorted[i] is its longest.
    let inf = Int.max / 2
    var best = [[Int]](repeating: [Int](repeating: inf, count: n + 1), count: k + 1)
    var cut = [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: k + 1)
    best[0][0] = 0
    for g in 1...k {
      for j in g...n {
        for i in (g - 1)..<j where best[g - 1][i] < inf {
          let c = best[g - 1][i] + (j - i) * sorted[i]
          if c < best[g][j] {
            best[g][j] = c
            cut[g][j] = i
          }
        }
      }
    }
    // Fewest groups that reach the least cost.
    var groupsUsed = 1
    for g in 1...k where best[g][n] < best[groupsUsed][n] { groupsUsed = g }
    var runs: [Range<Int>] = []
    var j = n
    for g in stride(from: groupsUsed, to: 0, by: -1) {
      runs.append(cut[g][j]..<j)
      j = cut[g][j]
    }
    return runs.reversed().map { r in r.map { order[$0] } }
  }
}
