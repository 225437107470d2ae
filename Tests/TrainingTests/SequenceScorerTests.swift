import Models
import TensorCore
import Training
import XCTest

final class SequenceScorerTests: XCTestCase {
  /// Scoring in length groups (several padded forward passes) gives the logits and gradients of
  /// one pass padded to the longest sequence, in selection order.
  func testGroupedScoringEqualsOnePaddedPass() {
    var rng = SeededRNG(seed: 9)
    let config = ModelConfig(
      vocabSize: 12, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 2, numAttentionHeads: 2,
      numKeyValueHeads: 1, maxPositionEmbeddings: 64)
    let model = Transformer(config: config, rng: &rng)
    let lengths = [30, 3, 17, 4, 29, 9, 2]
    let sequences = lengths.map { n in (0..<n).map { _ in Int(rng.next() % 12) } }
    // Sequence 6 has nothing selected: it must not change the output.
    let selection = SequenceScorer.Selection(lengths: lengths, from: [5, 1, 16, 2, 1, 8, 2])
    func run(_ groups: Int) -> (logits: [Float], grads: [[Float]]) {
      for p in model.parameters { p.grad = nil }
      let l = SequenceScorer.logits(
        model: model, sequences: sequences, selection: selection, maxGroups: groups)
      XCTAssertEqual(l.shape, [selection.positions.count, 12])
      // A loss that weighs every output differently, so a misplaced row changes the gradient.
      let w = Tensor((0..<l.count).map { Float(($0 * 7) % 11) / 11 - 0.4 }, shape: l.shape)
      (l * w).sum().backward()
      return (l.toArray(), model.parameters.map { $0.grad!.toArray() })
    }
    let one = run(1)
    let grouped = run(4)
    XCTAssertEqual(LengthBuckets.groups(lengths: [30, 3, 17, 4, 29, 9], maxGroups: 4).count, 4)
    for (a, b) in zip(one.logits, grouped.logits) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    for (ga, gb) in zip(one.grads, grouped.grads) {
      for (a, b) in zip(ga, gb) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }
  }
}
