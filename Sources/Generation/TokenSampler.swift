import Foundation
import TensorCore

/// Picks one token from a row of logits. Pure apart from the generator passed in.
public enum TokenSampler {
  /// Returns the chosen id and its log-probability under softmax(logits) (temperature 1, no
  /// truncation).
  ///
  /// Worked example: logits [2, 1, 0], temperature 1, topK 2 → candidates {0, 1} with
  /// probabilities e²/(e²+e) ≈ 0.731 and 0.269; a uniform draw u < 0.731 picks id 0, whose
  /// returned log-prob is 2 − log(e²+e+1) ≈ −0.408.
  public static func sample(
    _ logits: UnsafePointer<Float>, count v: Int, params: SamplingParams, rng: inout SeededRNG
  ) -> (id: Int, logProb: Double) {
    var maxLogit = -Float.infinity
    var argmax = 0
    for j in 0..<v where logits[j] > maxLogit {
      maxLogit = logits[j]
      argmax = j
    }
    var sum = 0.0
    for j in 0..<v { sum += Foundation.exp(Double(logits[j] - maxLogit)) }
    let logZ = Double(maxLogit) + Foundation.log(sum)
    func logProb(_ id: Int) -> Double { Double(logits[id]) - logZ }
    if params.temperature <= 0 { return (argmax, logProb(argmax)) }

    // Candidates, most likely first: all ids, or the top k found by a partial selection.
    let t = params.temperature
    var candidates: [Int]
    if let k = params.topK, k > 0, k < v {
      candidates = topIndices(logits, count: v, k: k)
    } else {
      candidates = Array(0..<v)
      if params.topP < 1 {
        candidates.sort { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
      }
    }
    var weights = candidates.map { Foundation.exp((Double(logits[$0]) - Double(maxLogit)) / t) }
    if params.topP < 1 {
      let total = weights.reduce(0, +)
      var acc = 0.0
      var keep = weights.count
      for (i, w) in weights.enumerated() {
        acc += w / total
        if acc >= params.topP {
          keep = i + 1
          break
        }
      }
      candidates = Array(candidates.prefix(keep))
      weights = Array(weights.prefix(keep))
    }
    let total = weights.reduce(0, +)
    var u = rng.nextUniform() * total
    for (i, w) in weights.enumerated() {
      u -= w
      if u < 0 { return (candidates[i], logProb(candidates[i])) }
    }
    let last = candidates[candidates.count - 1]
    return (last, logProb(last))
  }

  /// The k largest logits' ids, sorted descending (ties: lower id first).
  static func topIndices(_ logits: UnsafePointer<Float>, count v: Int, k: Int) -> [Int] {
    // A bounded min-heap would be O(V log k); a threshold pass then a small sort is simpler and
    // as fast for the k ≤ 100 used in practice.
    var best: [Int] = []
    best.reserveCapacity(k + 1)
    var threshold = -Float.infinity
    for j in 0..<v where best.count < k || logits[j] > threshold {
      best.append(j)
      if best.count > k {
        best.sort { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        best.removeLast()
        threshold = logits[best[k - 1]]
      } else if best.count == k {
        threshold = best.map { logits[$0] }.min()!
      }
    }
    return best.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
  }
}
