import Generation
import Models
import TensorCore

/// Sampled continuations laid out for scoring: each row is (context ids, sampled ids), and the
/// scored tokens are exactly the sampled ones, in row order.
public struct PolicyBatch {
  public var sequences: [[Int]]
  public var contextLengths: [Int]
  public let selection: SequenceScorer.Selection

  public init(contexts: [[Int]], samples: [[Int]]) {
    precondition(
      contexts.count == samples.count, "PolicyBatch: \(contexts.count) contexts, \(samples.count) samples")
    sequences = zip(contexts, samples).map { $0 + $1 }
    contextLengths = contexts.map(\.count)
    selection = SequenceScorer.Selection(lengths: sequences.map(\.count), from: contextLengths)
  }

  /// Differentiable log π(sampled token) of every row's samples, (N).
  public func logProbs(_ model: Transformer) -> Tensor {
    SequenceScorer.logProbs(model: model, sequences: sequences, selection: selection)
  }

  /// log π_ref(sampled token) per row, without a tape.
  public func referenceLogProbs(_ model: Transformer) -> [[Double]] {
    let flat = withNoGrad { logProbs(model) }.toDoubleArray()
    return selection.ranges.map { Array(flat[$0]) }
  }
}
