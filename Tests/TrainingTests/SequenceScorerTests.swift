import Models
import TensorCore
import Training
import XCTest

final class SequenceScorerTests: XCTestCase {
  /// A seeded two-layer model over a 12-token vocabulary.
  func tinyModel(_ rng: inout SeededRNG) -> Transformer {
    let config = ModelConfig(
      vocabSize: 12, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 2, numAttentionHeads: 2,
      numKeyValueHeads: 1, maxPositionEmbeddings: 64)
    return Transformer(config: config, rng: &rng)
  }

  /// Scoring in length groups (several padded forward passes) gives the logits and gradients of
  /// one pass padded to the longest sequence, in selection order.
  func testGroupedScoringEqualsOnePaddedPass() {
    var rng = SeededRNG(seed: 9)
    let model = tinyModel(&rng)
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

  /// The hand example of `prefixHosts`: copies and prefixes go to the first longest row holding
  /// them, a chain to its top, and rows that hold no other stay their own.
  func testPrefixHostsOfAHandExample() {
    let seqs = [[1, 2, 3], [1, 2], [1, 2, 3], [4], [1, 3], [1, 2, 3, 5], [7, 7]]
    XCTAssertEqual(
      SequenceScorer.prefixHosts(seqs, among: [0, 1, 2, 3, 4]), [0: 0, 1: 0, 2: 0, 3: 3, 4: 4])
    // With the longer [1, 2, 3, 5] among them, the chain [1, 2] ⊑ [1, 2, 3] ⊑ [1, 2, 3, 5] ends there.
    XCTAssertEqual(
      SequenceScorer.prefixHosts(seqs, among: [0, 1, 2, 4, 5, 6]), [0: 5, 1: 5, 2: 5, 4: 4, 5: 5, 6: 6])
    // A sequence is never hosted by one outside the candidates.
    XCTAssertEqual(SequenceScorer.prefixHosts(seqs, among: [1, 6]), [1: 1, 6: 6])
  }

  /// SCoRe's layout — turn-1 rows that are prefixes of turn-2 rows, and copies of a turn-1 row —
  /// scored on shared rows gives the logits and gradients of scoring every row on its own.
  func testSharedPrefixScoringEqualsEveryRowAlone() {
    var rng = SeededRNG(seed: 4)
    let model = tinyModel(&rng)
    func tokens(_ n: Int) -> [Int] { (0..<n).map { _ in Int(rng.next() % 12) } }
    let prompt = tokens(9)
    let first = prompt + tokens(5)  // (prompt, attempt 1)
    let secondA = first + tokens(3) + tokens(6)  // (…, instruction, attempt 2)
    let secondB = first + tokens(3) + tokens(4)
    let other = tokens(11)
    // Turn-1 row twice (two second attempts per first), both turn-2 rows, an unrelated row.
    let sequences = [first, secondA, first, secondB, other]
    let from = [9, 17, 9, 17, 3]
    let selection = SequenceScorer.Selection(lengths: sequences.map(\.count), from: from)
    func run(_ share: Bool) -> (logits: [Float], grads: [[Float]]) {
      for p in model.parameters { p.grad = nil }
      let l = SequenceScorer.logits(
        model: model, sequences: sequences, selection: selection, maxGroups: 1, sharePrefixes: share)
      XCTAssertEqual(l.shape, [selection.positions.count, 12])
      let w = Tensor((0..<l.count).map { Float(($0 * 5) % 13) / 13 - 0.3 }, shape: l.shape)
      (l * w).sum().backward()
      return (l.toArray(), model.parameters.map { $0.grad!.toArray() })
    }
    XCTAssertEqual(
      SequenceScorer.prefixHosts(sequences, among: Array(sequences.indices)), [0: 1, 1: 1, 2: 1, 3: 3, 4: 4])
    let alone = run(false)
    let shared = run(true)
    for (a, b) in zip(alone.logits, shared.logits) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    for (ga, gb) in zip(alone.grads, shared.grads) {
      for (a, b) in zip(ga, gb) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }
    // The gradient is not trivially small, so the comparison can fail.
    XCTAssertGreaterThan(alone.grads.flatMap { $0 }.map(abs).max()!, 1e-2)
  }
}
