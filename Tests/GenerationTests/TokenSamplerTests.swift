import Generation
import TensorCore
import XCTest

final class TokenSamplerTests: XCTestCase {
  func sample(_ logits: [Float], _ params: SamplingParams, seed: UInt64) -> (Int, Double) {
    var rng = SeededRNG(seed: seed)
    return logits.withUnsafeBufferPointer {
      TokenSampler.sample($0.baseAddress!, count: logits.count, params: params, rng: &rng)
    }
  }

  func testGreedyAndLogProb() {
    let (id, lp) = sample([2, 1, 0], .greedy(), seed: 0)
    XCTAssertEqual(id, 0)
    XCTAssertEqual(lp, 2 - log(exp(2) + exp(1) + 1), accuracy: 1e-6)  // ≈ −0.408
  }

  /// Empirical frequencies match the hand-computed truncated distributions.
  func testFrequenciesMatchTopKTopPAndTemperature() {
    let logits: [Float] = [2, 1, 0, -1]
    func freqs(_ p: SamplingParams) -> [Double] {
      var counts = [Double](repeating: 0, count: 4)
      for s in 0..<20000 { counts[sample(logits, p, seed: UInt64(s)).0] += 1 }
      return counts.map { $0 / 20000 }
    }
    // top-k 2: e²/(e²+e) = 0.731, 0.269.
    let k2 = freqs(SamplingParams(temperature: 1, topK: 2))
    XCTAssertEqual(k2[0], 0.731, accuracy: 0.015)
    XCTAssertEqual(k2[2] + k2[3], 0)
    // top-p 0.7: full probabilities are [0.644, 0.237, 0.087, 0.032]; 0.644 < 0.7 so ids {0, 1}.
    let p7 = freqs(SamplingParams(temperature: 1, topP: 0.7))
    XCTAssertEqual(p7[0], 0.731, accuracy: 0.015)
    XCTAssertEqual(p7[2] + p7[3], 0)
    // temperature 2: weights e^(x/2) → [0.455, 0.276, 0.167, 0.102].
    let t2 = freqs(SamplingParams(temperature: 2))
    for (f, e) in zip(t2, [0.455, 0.276, 0.167, 0.102]) { XCTAssertEqual(f, e, accuracy: 0.015) }
  }
}
