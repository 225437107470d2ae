import Foundation
import TensorCore
import TestSupport
import XCTest

final class LossTests: XCTestCase {
  func testCrossEntropyKnownValues() {
    XCTAssertEqual(
      Tensor([0, 0], shape: [1, 2]).crossEntropy(targets: [1]).item(), 0.6931472, accuracy: 1e-6)
    // −log softmax([1,2,3])[0] = log(e+e²+e³) − 1 (hand-computed).
    let logits = Tensor([1, 2, 3, 0, 0, 0], shape: [2, 3])
    XCTAssertEqual(logits.crossEntropy(targets: [0, -100]).item(), 2.4076059644, accuracy: 1e-5)
    // Weighted mean: (1·2.40760596 + 3·log 3) / 4.
    let weighted = logits.crossEntropy(targets: [0, 2], weights: [1, 3]).item()
    XCTAssertEqual(weighted, (2.40760596 + 3 * 1.09861229) / 4, accuracy: 1e-5)
    XCTAssertEqual(
      logits.crossEntropy(targets: [0, 2], reduction: .sum).item(), 2.40760596 + 1.09861229, accuracy: 1e-5)
  }

  func testGradientsMatchFiniteDifferencesAndComposition() {
    var rng = SeededRNG(seed: 81)
    for _ in 0..<3 {
      let (n, v) = (Int.random(in: 2...6, using: &rng), Int.random(in: 2...7, using: &rng))
      let x = GradCheck.input([n, v], rng: &rng, scale: 2)
      var targets = (0..<n).map { _ in Int.random(in: 0..<v, using: &rng) }
      targets[0] = -100
      let weights = (0..<n).map { _ in rng.nextUniform() + 0.1 }
      XCTAssertTrue(GradCheck.check([x]) { $0[0].crossEntropy(targets: targets) }.ok)
      XCTAssertTrue(GradCheck.check([x]) { $0[0].crossEntropy(targets: targets, weights: weights) }.ok)
      let valid = targets.map { max($0, 0) }
      XCTAssertTrue(GradCheck.check([x]) { $0[0].tokenLogProbs(targets: valid) }.ok)
      // tokenLogProbs equals the gathered log-softmax.
      let lp = x.tokenLogProbs(targets: valid).toDoubleArray()
      let ls = x.logSoftmax().toDoubleArray()
      for i in 0..<n { XCTAssertEqual(lp[i], ls[i * v + valid[i]], accuracy: 1e-12) }
    }
  }

  /// Logits wide enough (8 × 8192) for the rows to be split over the cores: the loss, its gradient
  /// and tokenLogProbs match a per-row Double reference computed here (logsumexp − logit;
  /// softmax − one-hot over the row count).
  func testWideRowsMatchDoubleReference() {
    let (n, v) = (8, 8192)
    let values = (0..<(n * v)).map { Float(($0 * 7919) % 1009) / 200 - 2.5 }
    let targets = (0..<n).map { ($0 * 1237) % v }
    let x = Tensor(values, shape: [n, v]).requiringGrad()
    var lse = [Double](repeating: 0, count: n)
    var loss = 0.0
    for i in 0..<n {
      let row = values[(i * v)..<((i + 1) * v)].map(Double.init)
      let m = row.max()!
      lse[i] = m + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) })
      loss += (lse[i] - row[targets[i]]) / Double(n)
    }
    let out = x.crossEntropy(targets: targets)
    XCTAssertEqual(out.item(), loss, accuracy: 1e-5)
    out.backward()
    let grad = x.grad!.toDoubleArray()
    let logProbs = x.detach().tokenLogProbs(targets: targets).toDoubleArray()
    for i in 0..<n {
      XCTAssertEqual(logProbs[i], Double(values[i * v + targets[i]]) - lse[i], accuracy: 1e-4)
      for j in stride(from: 0, to: v, by: 97) + [targets[i], v - 1] {
        let softmax = Foundation.exp(Double(values[i * v + j]) - lse[i])
        let expected = (softmax - (j == targets[i] ? 1 : 0)) / Double(n)
        XCTAssertEqual(grad[i * v + j], expected, accuracy: 1e-7, "row \(i) column \(j)")
      }
    }
  }

  /// `overwritingLogits`: the same gradient bits as a fresh buffer (ignored rows 0), written where
  /// the logits were — the logits tensor now reads as the gradient, and one with `weights`, one
  /// with `tokenLogProbs`.
  func testOverwritingLogitsGivesTheSameGradientInTheLogitsBuffer() {
    var rng = SeededRNG(seed: 82)
    let (n, v) = (5, 300)
    let values = (0..<(n * v)).map { _ in Float(rng.nextUniform() * 6 - 3) }
    let targets = [3, -100, 299, 0, 17]
    let weights = [1, 2, 0.5, 1, 3.0]
    for kind in 0..<2 {
      func run(_ overwrite: Bool) -> (grad: [Float], logits: [Float]) {
        let h = Tensor(values, shape: [n, v]).requiringGrad()
        let logits = h * 1.0  // an op's output, as an LM head's logits are
        if kind == 0 {
          logits.crossEntropy(targets: targets, weights: weights, overwritingLogits: overwrite).backward()
        } else {
          let lp = logits.tokenLogProbs(targets: targets.map { max($0, 0) }, overwritingLogits: overwrite)
          (lp * Tensor([1, -2, 0.5, 3, -1], shape: [n])).sum().backward()
        }
        return (h.grad!.toArray(), logits.toArray())
      }
      let (fresh, kept) = run(false)
      let (inPlace, overwritten) = run(true)
      XCTAssertEqual(kept, values, "kind \(kind): without the flag the logits are left alone")
      XCTAssertEqual(inPlace.map(\.bitPattern), fresh.map(\.bitPattern), "kind \(kind)")
      XCTAssertEqual(
        overwritten.map(\.bitPattern), fresh.map(\.bitPattern), "kind \(kind): logits hold the gradient")
      if kind == 0 { XCTAssertEqual(Array(inPlace[v..<(2 * v)]), [Float](repeating: 0, count: v)) }
    }
  }
}
