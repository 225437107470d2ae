import Generation
import Models
import TensorCore

/// Sampled continuations laid out for scoring: each row is (context ids, sampled ids), and the
/// scored tokens are exactly the sampled ones, in row order.
public struct PolicyBatch {
  public var sequences: [[Int]]
  public var contextLengths: [Int]
  public let selection: SequenceScorer.Selection
  /// Whether rows that are prefixes (or copies) of other rows are read from those rows' forward
  /// passes (`SequenceScorer.prefixHosts`): same values, less work, another float order.
  public var sharePrefixes: Bool

  public init(contexts: [[Int]], samples: [[Int]], sharePrefixes: Bool = false) {
    precondition(
      contexts.count == samples.count, "PolicyBatch: \(contexts.count) contexts, \(samples.count) samples")
    sequences = zip(contexts, samples).map { $0 + $1 }
    contextLengths = contexts.map(\.count)
    self.sharePrefixes = sharePrefixes
    selection = SequenceScorer.Selection(lengths: sequences.map(\.count), from: contextLengths)
  }

  /// Differentiable log π(sampled token) of every row's samples, (N).
  public func logProbs(_ model: Transformer) -> Tensor {
    SequenceScorer.logProbs(
      model: model, sequences: sequences, selection: selection, sharePrefixes: sharePrefixes)
  }

  /// log π_ref(sampled token) per row, without a tape.
  public func referenceLogProbs(_ model: Transformer) -> [[Double]] {
    let flat = withNoGrad { logProbs(model) }.toDoubleArray()
    return selection.ranges.map { Array(flat[$0]) }
  }
}
