import Models
import TensorCore

/// Log-probabilities of chosen tokens of several sequences under a transformer, in a few
/// right-padded forward passes over similar-length rows — the quantity every loss here is built
/// from (SFT's NLL, RL's ratios and KL penalties).
///
/// Only the scored positions reach the LM head: hidden states (B, L, D) are gathered down to
/// (N, D) for the N scored tokens before the (D → V) projection, so unscored prompt tokens cost
/// no vocabulary-sized work.
public enum SequenceScorer {
  /// Which token positions of which sequence are scored.
  public struct Selection: Sendable {
    /// (sequence, token index ≥ 1) in output order.
    public var positions: [(sequence: Int, index: Int)]
    /// The output range of each sequence's scored tokens.
    public var ranges: [Range<Int>]

    /// Scores every token at index ≥ `from[i]` of sequence i (index 0 is never scored).
    public init(lengths: [Int], from: [Int]) {
      positions = []
      ranges = []
      for (s, (n, f)) in zip(lengths, from).enumerated() {
        let start = positions.count
        for t in max(f, 1)..<max(n, max(f, 1)) { positions.append((s, t)) }
        ranges.append(start..<positions.count)
      }
    }

    /// Scores the tokens whose weight is non-zero.
    public init(_ sequences: [TrainingSequence]) {
      positions = []
      ranges = []
      for (s, seq) in sequences.enumerated() {
        let start = positions.count
        for t in 1..<max(seq.tokens.count, 1) where seq.weights[t] != 0 { positions.append((s, t)) }
        ranges.append(start..<positions.count)
      }
    }
  }

  /// Logits (N, V) predicting the selected tokens (from the position before each).
  ///
  /// Sequences run in at most `maxGroups` forward passes of similar-length rows (`LengthBuckets`),
  /// each right-padded to its own longest row; sequences with no selected token are skipped.
  /// With `sharePrefixes`, a sequence that is a prefix of another scored one (or a copy of it) is
  /// read from that one's row instead of running its own (`prefixHosts`): a causal model's outputs
  /// at a position depend only on the tokens up to it, so the values are the same. Off by default:
  /// the weight gradients then sum over other rows, in another float order, and most callers' rows
  /// (SFT examples, one S²R trajectory per row) share nothing; `SCoReTrainer` turns it on.
  public static func logits(
    model: Transformer, sequences: [[Int]], selection: Selection, pad: Int = 0, maxGroups: Int = 4,
    sharePrefixes: Bool = false
  ) -> Tensor {
    var host = Array(sequences.indices)  // host[s]: the row whose forward pass computes s (itself)
    if sharePrefixes {
      let candidates = Set(selection.positions.map(\.sequence)).sorted()  // sequences with a selected token
      for (s, h) in prefixHosts(sequences, among: candidates) { host[s] = h }
    }
    var wanted = [[Int]](repeating: [], count: sequences.count)  // selection indices per host row
    for (k, p) in selection.positions.enumerated() { wanted[host[p.sequence]].append(k) }
    let scored = sequences.indices.filter { !wanted[$0].isEmpty }
    let groups = LengthBuckets.groups(lengths: scored.map { sequences[$0].count }, maxGroups: maxGroups)
    var parts: [Tensor] = []
    var order: [Int] = []  // order[r]: the selection index of row r of the concatenated parts
    for group in groups {
      let rowsOfGroup = group.map { scored[$0] }
      let width = rowsOfGroup.map { sequences[$0].count }.max()!
      let padded = rowsOfGroup.flatMap {
        sequences[$0] + [Int](repeating: pad, count: width - sequences[$0].count)
      }
      // Right padding needs no mask: real positions never attend to later ones.
      let hidden = model.hiddenStates(padded, batch: rowsOfGroup.count)  // (G, L, D)
      let flat = hidden.reshaped([rowsOfGroup.count * width, model.config.hiddenSize])  // (G·L, D)
      var rows: [Int] = []
      for (j, s) in rowsOfGroup.enumerated() {
        for k in wanted[s] {
          rows.append(j * width + selection.positions[k].index - 1)
          order.append(k)
        }
      }
      parts.append(Tensor.gatherRows(flat, ids: rows, shape: [rows.count]))  // (N_g, D)
    }
    if parts.isEmpty { return model.logits(Tensor(zeros: [0, model.config.hiddenSize])) }  // (0, V)
    var picked = parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)  // (N, D) in group order
    if order != Array(order.indices) {
      var inverse = [Int](repeating: 0, count: order.count)
      for (r, k) in order.enumerated() { inverse[k] = r }
      picked = Tensor.gatherRows(picked, ids: inverse, shape: [inverse.count])  // (N, D) in selection order
    }
    return model.logits(picked)  // (N, V)
  }

  /// For each of `candidates`, the candidate whose forward pass computes it: the first, longest
  /// first, of which it is a prefix (itself when none is).
  ///
  /// Why: SCoRe scores turn 1 as (prompt, attempt 1) and turn 2 as (prompt, attempt 1, instruction,
  /// attempt 2), and k second attempts share one first attempt; so with a tokenizer that re-encodes
  /// the first attempt as sampled, every turn-1 row is a prefix of a turn-2 row, and scoring only
  /// the turn-2 rows does ≈ 45 % less work for the same values. Longest first makes chains
  /// (a ⊑ b ⊑ c) resolve to the top row c, since b was placed under c before a is looked at.
  ///
  /// Example: [[1, 2, 3], [1, 2], [1, 2, 3], [4], [1, 3]] → [0: 0, 1: 0, 2: 0, 3: 3, 4: 4].
  public static func prefixHosts(_ sequences: [[Int]], among candidates: [Int]) -> [Int: Int] {
    let order = candidates.sorted {
      sequences[$0].count != sequences[$1].count ? sequences[$0].count > sequences[$1].count : $0 < $1
    }
    var hosts: [Int] = []
    var host: [Int: Int] = [:]
    for s in order {
      let seq = sequences[s]
      if let h = hosts.first(where: { sequences[$0].starts(with: seq) }) {
        host[s] = h
      } else {
        hosts.append(s)
        host[s] = s
      }
    }
    return host
  }

  /// log π(token) of the selected tokens, (N), differentiable when grad mode is on.
  public static func logProbs(
    model: Transformer, sequences: [[Int]], selection: Selection, sharePrefixes: Bool = false
  ) -> Tensor {
    let l = logits(model: model, sequences: sequences, selection: selection, sharePrefixes: sharePrefixes)
    let targets = selection.positions.map { sequences[$0.sequence][$0.index] }
    return l.tokenLogProbs(targets: targets, overwritingLogits: true)  // nothing else reads l
  }
}
