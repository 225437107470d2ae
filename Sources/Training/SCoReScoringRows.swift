/// The scoring rows of a batch of SCoRe episodes (spec §2.7's log-probs): which sequences the policy
/// and the reference run over, and where in them each attempt's sampled tokens are read.
///
/// Why not one row per attempt: a later turn's context already holds the earlier turns — turn 2's
/// prompt is turn 1's prompt, the first attempt and the feedback — so a row of its own for turn 1
/// recomputes a prefix the turn-2 row computes anyway, and with k second attempts per first the same
/// turn-1 row appeared k times. Causal attention gives a token the same log-prob in any row that
/// holds the same tokens before it, so an earlier turn is read inside the last turn's row. The sums
/// of the loss run in another order than with separate rows (other float rounding), nothing else.
///
/// An earlier turn t is read in the row of its episode's last turn when that row starts with
/// context_t + sample_t; or with context_t + sample_t minus its last token when that token is the one
/// the later context replaced (turn 1's end-of-sequence, followed by the feedback instead): then the
/// last token's log-prob is read from the same position with its own id as the target. Episodes
/// sharing an earlier turn (same tokens) share its positions, and their weights add. The last turn
/// of every episode has a row of its own, so single-turn episodes get exactly one row each, in order,
/// as before. A turn that fits neither case gets a row of its own too.
///
/// Worked example (ids): episode 0 = turn 1 (context [1, 2], sample [5, 9]) and turn 2 (context
/// [1, 2, 5, 7], sample [6]); 9 is the end-of-sequence and 7 the feedback. One row, [1, 2, 5, 7, 6]:
/// turn 1 is read at indices 2 and 3 with targets 5 and 9 (9 overrides the row's 7), turn 2 at index
/// 4 with target 6. Episode 1 with the same turn 1 and turn 2 (context [1, 2, 5, 7], sample [8]) adds
/// the row [1, 2, 5, 7, 8] with turn 2 at index 4, and reuses episode 0's turn-1 positions.
struct SCoReScoringRows {
  /// The sequences the models run over.
  var sequences: [[Int]] = []
  /// The scored (sequence, index) pairs in output order, and the id scored at each.
  var selection = SequenceScorer.Selection(lengths: [], from: [])
  var targets: [Int] = []
  /// ranges[e][t]: the output positions of episode e's turn t (shared turns repeat a range).
  var ranges: [[Range<Int>]] = []
  /// owns[e][t]: false where (e, t) reuses the positions of an earlier episode's identical turn.
  var owns: [[Bool]] = []

  /// contexts[e][t] and samples[e][t]: the prompt ids and sampled ids of episode e's turn t.
  init(contexts: [[[Int]]], samples: [[[Int]]]) {
    precondition(
      contexts.map(\.count) == samples.map(\.count), "SCoReScoringRows: contexts and samples differ")
    var placed: [[Int]: Range<Int>] = [:]  // an earlier turn's context + sample → its positions
    for (e, turns) in contexts.enumerated() {
      ranges.append(Array(repeating: 0..<0, count: turns.count))
      owns.append(Array(repeating: true, count: turns.count))
      guard let last = turns.indices.last else { continue }
      let host = contexts[e][last] + samples[e][last]
      var hosted: [Int] = []  // earlier turns read in `host`
      for t in 0..<last {
        let key = contexts[e][t] + samples[e][t]
        if let range = placed[key] {
          (ranges[e][t], owns[e][t]) = (range, false)
        } else if Self.reads(contexts[e][t], samples[e][t], in: host) {
          hosted.append(t)
        } else {
          sequences.append(key)
          ranges[e][t] = addPositions(
            row: sequences.count - 1, indices: contexts[e][t].count..<key.count, targets: samples[e][t])
          placed[key] = ranges[e][t]
        }
      }
      // The host row: its hosted turns' positions first (turn order), then the last turn's.
      sequences.append(host)
      for t in hosted {
        let (c, s) = (contexts[e][t], samples[e][t])
        ranges[e][t] = addPositions(
          row: sequences.count - 1, indices: c.count..<(c.count + s.count), targets: s)
        placed[c + s] = ranges[e][t]
      }
      let c = contexts[e][last].count
      ranges[e][last] = addPositions(
        row: sequences.count - 1, indices: c..<host.count, targets: Array(host[c...]))
    }
  }

  /// Whether `host` holds context + sample at their own indices (the sample's last token may differ).
  private static func reads(_ context: [Int], _ sample: [Int], in host: [Int]) -> Bool {
    let whole = context + sample
    if host.count >= whole.count && host.starts(with: whole) { return true }
    return !sample.isEmpty && host.count >= whole.count && host.starts(with: whole.dropLast())
  }

  /// Positions (row, i) for i in `indices` with targets[k] for the k-th (index 0 is never scored);
  /// `row` is the last sequence, so each sequence's positions stay contiguous (`selection.ranges`).
  private mutating func addPositions(row: Int, indices: Range<Int>, targets ids: [Int]) -> Range<Int> {
    let start = selection.positions.count
    for (k, i) in indices.enumerated() where i >= 1 {
      selection.positions.append((row, i))
      targets.append(ids[k])
    }
    if selection.ranges.count == row + 1 {
      selection.ranges[row] = selection.ranges[row].lowerBound..<selection.positions.count
    } else {
      selection.ranges.append(start..<selection.positions.count)
    }
    return start..<selection.positions.count
  }
}
