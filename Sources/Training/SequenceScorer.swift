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
  public static func logits(
    model: Transformer, sequences: [[Int]], selection: Selection, pad: Int = 0, maxGroups: Int = 4
  ) -> Tensor {
    var wanted = [[Int]](repeating: [], count: sequences.count)  // selection indices per sequence
    for (k, p) in selection.positions.enumerated() { wanted[p.sequence].append(k) }
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

  /// log π(token) of the selected tokens, (N), differentiable when grad mode is on.
  public static func logProbs(model: Transformer, sequences: [[Int]], selection: Selection) -> Tensor {
    let l = logits(model: model, sequences: sequences, selection: selection)
    let targets = selection.positions.map { sequences[$0.sequence][$0.index] }
    return l.tokenLogProbs(targets: targets, overwritingLogits: true)  // nothing else reads l
  }
}
