import NN
import TensorCore
import XCTest

final class TrainingTests: XCTestCase {
  func testClipGradNorm() {
    let a = Tensor([3], shape: [1]).requiringGrad()
    let b = Tensor([4], shape: [1]).requiringGrad()
    a.grad = Tensor([3], shape: [1])
    b.grad = Tensor([4], shape: [1])
    XCTAssertEqual(clipGradNorm([a, b], maxNorm: 1), 5, accuracy: 1e-9)
    XCTAssertEqual(Double(a.grad!.toArray()[0]), 0.6, accuracy: 1e-5)
    XCTAssertEqual(Double(b.grad!.toArray()[0]), 0.8, accuracy: 1e-5)
    XCTAssertEqual(clipGradNorm([a, b], maxNorm: 10), 1, accuracy: 1e-5, "under the limit: untouched")
  }

  func testScheduleWorkedExample() {
    let s = LRSchedule(decay: .cosine, warmupSteps: 10, totalSteps: 110, minRatio: 0)
    XCTAssertEqual(s.factor(at: 4), 0.5, accuracy: 1e-12)
    XCTAssertEqual(s.factor(at: 10), 1, accuracy: 1e-12)
    XCTAssertEqual(s.factor(at: 60), 0.5, accuracy: 1e-12)
    XCTAssertEqual(s.factor(at: 110), 0, accuracy: 1e-12)
    XCTAssertEqual(
      LRSchedule(decay: .linear, totalSteps: 10, minRatio: 0.2).factor(at: 5), 0.6, accuracy: 1e-12)
    XCTAssertEqual(LRSchedule(decay: .constant, warmupSteps: 2, totalSteps: 10).factor(at: 7), 1)
  }

  /// Two half-batches with the loss halved accumulate the same gradient as one full batch.
  func testGradientAccumulationEqualsFullBatch() {
    var rng = SeededRNG(seed: 5)
    let lin = Linear(3, 2, dtype: .float64, rng: &rng)
    let x = Tensor.randn([4, 3], dtype: .float64, rng: &rng)
    let targets = [0, 1, 1, 0]
    lin(x).crossEntropy(targets: targets).backward()
    let full = lin.weight.grad!.toDoubleArray()
    lin.zeroGrad()
    for half in [0..<2, 2..<4] {
      lin(x.slice(axis: 0, half)).crossEntropy(targets: Array(targets[half])).scaled(0.5).backward()
    }
    for (a, b) in zip(lin.weight.grad!.toDoubleArray(), full) { XCTAssertEqual(a, b, accuracy: 1e-12) }
  }

  /// A 2-layer MLP (Linear → SiLU → Linear) learns XOR-like quadrant labels of 2-D points:
  /// cross-entropy must fall below 0.05 within 300 AdamW steps.
  func testMLPFitsSmallDataset() {
    var rng = SeededRNG(seed: 6)
    let l1 = Linear(2, 16, bias: true, init: .fanInUniform, rng: &rng)
    let l2 = Linear(16, 2, bias: true, init: .fanInUniform, rng: &rng)
    let params = l1.namedParameters(prefix: "l1") + l2.namedParameters(prefix: "l2")
    let opt = AdamW(params, config: AdamWConfig(learningRate: 0.03))
    var xs: [Float] = []
    var ys: [Int] = []
    for _ in 0..<64 {
      let (a, b) = (rng.nextUniform() * 2 - 1, rng.nextUniform() * 2 - 1)
      xs += [Float(a), Float(b)]
      ys.append((a > 0) != (b > 0) ? 1 : 0)
    }
    let x = Tensor(xs, shape: [64, 2])
    var loss = Double.infinity
    for _ in 0..<300 {
      let l = l2(l1(x).silu()).crossEntropy(targets: ys)
      loss = l.item()
      l.backward()
      opt.update()
      opt.zeroGrad()
    }
    XCTAssertLessThan(loss, 0.05)
  }
}
