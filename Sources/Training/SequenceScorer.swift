import Models
import TensorCore

/// Log-probabilities of chosen tokens of several sequences under a transformer, in one
/// right-padded forward pass — the quantity every loss here is built from (SFT's NLL, RL's
/// ratios and KL penalties).
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
  public static func logits(model: Transformer, sequences: [[Int]], selection: Selection, pad: Int = 0)
    -> Tensor
  {
    let b = sequences.count
    let width = sequences.map(\.count).max() ?? 0
    let padded = sequences.flatMap { $0 + [Int](repeating: pad, count: width - $0.count) }
    let hidden = model.hiddenStates(padded, batch: b)  // (B, L, D), right padding needs no mask
    let flat = hidden.reshaped([b * width, model.config.hiddenSize])  // (B·L, D)
    let rows = selection.positions.map { $0.sequence * width + $0.index - 1 }
    let picked = Tensor.gatherRows(flat, ids: rows, shape: [rows.count])  // (N, D)
    return model.logits(picked)  // (N, V)
  }

  /// log π(token) of the selected tokens, (N), differentiable when grad mode is on.
  public static func logProbs(model: Transformer, sequences: [[Int]], selection: Selection) -> Tensor {
    let l = logits(model: model, sequences: sequences, selection: selection)
    let targets = selection.positions.map { sequences[$0.sequence][$0.index] }
    return l.tokenLogProbs(targets: targets)
  }
}
