import NN
import TensorCore
import XCTest

final class AdamWTests: XCTestCase {
  /// Two steps checked against the update rule computed by hand (see AdamW's doc comment):
  /// p₀ = 1, g = 0.5 then −1, lr 0.1, β = (0.9, 0.999), ε = 1e-8, wd = 0.01.
  /// Step 1: p = 1·(1 − 0.001) − 0.1·0.5/(0.5 + ε) = 0.899000002.
  /// Step 2: m = −0.055, v = 0.00124975, m̂ = −0.28947, v̂ = 0.62519 → p = 0.93471135.
  func testTwoStepsMatchHandComputedUpdate() {
    let p = Tensor(float64: [1, 1], shape: [1, 2]).requiringGrad()  // rank 2: decayed
    let opt = AdamW([("p", p)], config: AdamWConfig(learningRate: 0.1, weightDecay: 0.01))
    p.grad = Tensor(float64: [0.5, 0.5], shape: [1, 2])
    opt.update()
    XCTAssertEqual(p[flat: 0], 0.899000002, accuracy: 1e-12)
    p.grad = Tensor(float64: [-1, -1], shape: [1, 2])
    opt.update()
    XCTAssertEqual(p[flat: 1], 0.9347113542385653, accuracy: 1e-12)
  }

  func testNoDecayOnVectorsAndStateRoundTrip() throws {
    let b = Tensor(float64: [1], shape: [1]).requiringGrad()
    let opt = AdamW([("b", b)], config: AdamWConfig(learningRate: 0.1, weightDecay: 0.5))
    b.grad = Tensor(float64: [0], shape: [1])
    opt.update()
    XCTAssertEqual(b[flat: 0], 1, "zero gradient and no decay on rank-1 parameters")
    b.grad = Tensor(float64: [2], shape: [1])
    opt.update()
    let (step, state) = opt.state()
    let b2 = Tensor(float64: [b[flat: 0]], shape: [1]).requiringGrad()
    let opt2 = AdamW([("b", b2)], config: opt.config)
    try opt2.restore(step: step, tensors: state.mapValues { $0.copy() })
    b.grad = Tensor(float64: [-1], shape: [1])
    b2.grad = Tensor(float64: [-1], shape: [1])
    opt.update()
    opt2.update()
    XCTAssertEqual(b[flat: 0], b2[flat: 0], "a restored optimiser continues identically")
  }

  /// A parameter large enough for the update to be split over the cores: every element, including
  /// the last chunk's, gets the first-step rule p − lr·g/(|g| + ε) (m̂ = g, v̂ = g² after one step).
  func testFirstStepOnLargeParameterMatchesRuleElementwise() {
    let n = 70_001
    let values = (0..<n).map { Float(($0 * 37) % 101) / 50 - 1 }
    let grads = (0..<n).map { Float(($0 * 53) % 97) / 40 - 1.2 }
    let p = Tensor(values, shape: [n]).requiringGrad()
    let opt = AdamW([("p", p)], config: AdamWConfig(learningRate: 0.01))
    p.grad = Tensor(grads, shape: [n])
    opt.update()
    for j in 0..<n {
      let g = Double(grads[j])
      let expected = Double(values[j]) - 0.01 * g / (abs(g) + 1e-8)
      XCTAssertEqual(p[flat: j], expected, accuracy: 1e-6, "element \(j)")
    }
  }
}
