import Models
import TensorCore

/// The supervised loss: weighted token NLL, optionally plus a full-vocabulary KL to a frozen
/// reference model (S²R's "weighted with KL", spec §3.3).
///
///   loss = Σ_i w_i·(−log π_θ(t_i)) / Σ_i w_i  +  λ · mean_i KL(π_θ(·|ctx_i) ‖ π_ref(·|ctx_i))
///
/// The NLL is a token mean over the whole batch (spec §3.2). The KL sums over the vocabulary
/// and averages over the scored positions.
///
/// Example: one scored token whose two-way logits are [0, 0], target 1, weight 1 → NLL = log 2.
public enum SFTLoss {
  public struct Value {
    public var loss: Tensor
    public var nll: Double
    public var kl: Double
    public var tokens: Int
  }

  public static func compute(
    model: Transformer, batch: [TrainingSequence], reference: Transformer? = nil, klCoefficient: Double = 0
  ) -> Value {
    let selection = SequenceScorer.Selection(batch)
    let sequences = batch.map(\.tokens)
    let targets = selection.positions.map { sequences[$0.sequence][$0.index] }
    let weights = selection.positions.map { Double(batch[$0.sequence].weights[$0.index]) }
    if targets.isEmpty {
      let zero = Tensor.scalar(0)
      return Value(loss: zero, nll: 0, kl: 0, tokens: 0)
    }
    let logits = SequenceScorer.logits(model: model, sequences: sequences, selection: selection)  // (N, V)
    // Without the KL term the loss is the logits' only reader, so its backward may overwrite them.
    let alone = reference == nil || klCoefficient <= 0
    let nll = logits.crossEntropy(targets: targets, weights: weights, overwritingLogits: alone)
    guard let reference, !alone else {
      return Value(loss: nll, nll: nll.item(), kl: 0, tokens: targets.count)
    }
    let refLogProbs = withNoGrad {
      SequenceScorer.logits(model: reference, sequences: sequences, selection: selection).logSoftmax()
    }
    let lp = logits.logSoftmax()  // (N, V)
    let kl = (lp.exp() * (lp - refLogProbs)).sum(axis: -1).mean()  // KL(π_θ ‖ π_ref), mean over N
    return Value(loss: nll + kl.scaled(klCoefficient), nll: nll.item(), kl: kl.item(), tokens: targets.count)
  }
}
