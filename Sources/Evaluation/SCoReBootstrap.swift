/// A two-sided confidence interval.
public struct SCoReInterval: Sendable, Codable, Equatable {
  public var low: Double
  public var high: Double

  public init(low: Double, high: Double) {
    self.low = low
    self.high = high
  }
}

/// Percentile bootstrap over problems (Efron & Tibshirani 1993, ch. 13): resample the N rows with
/// replacement B times, recompute the statistic, and take the empirical (1−c)/2 and (1+c)/2
/// quantiles. Rows are resampled whole, so paired statistics (Δ between attempts of the same
/// problem) keep their pairing.
public enum SCoReBootstrap {
  /// Interval of `statistic` over `rows`. The quantiles are order statistics of the sorted
  /// resampled values s: low = s[⌊(1−c)/2 · B⌋], high = s[⌈(1+c)/2 · B⌉ − 1] (B = 1000, c = 0.95:
  /// s[25] and s[974]).
  ///
  /// Example: rows where every answer is right → [1, 1] for accuracy, whatever the seed.
  public static func interval<Row, R: RandomNumberGenerator>(
    rows: [Row], resamples: Int = 1000, confidence: Double = 0.95, using rng: inout R,
    statistic: ([Row]) throws -> Double
  ) rethrows -> SCoReInterval {
    let b = max(resamples, 1)
    let n = rows.count
    guard n > 0 else { return SCoReInterval(low: .nan, high: .nan) }
    var values: [Double] = []
    values.reserveCapacity(b)
    var sample = rows
    for _ in 0..<b {
      for i in 0..<n { sample[i] = rows[Int.random(in: 0..<n, using: &rng)] }
      values.append(try statistic(sample))
    }
    return percentiles(values, confidence: confidence)
  }

  /// The summary with bootstrap intervals for every Acc@t and for Δ(t1, t2), all from the same
  /// resamples' order of draws (one generator, consumed in that order).
  public static func withIntervals<R: RandomNumberGenerator>(
    _ summary: SCoReSummary, correct: [[Bool]], resamples: Int = 1000, confidence: Double = 0.95,
    using rng: inout R
  ) throws -> SCoReSummary {
    var out = summary
    out.accuracyIntervals = try summary.accuracy.indices.map { t in
      try interval(rows: correct, resamples: resamples, confidence: confidence, using: &rng) {
        try SCoReMetrics.accuracy($0, turn: t + 1)
      }
    }
    if summary.transition != nil {
      out.deltaInterval = try interval(
        rows: correct, resamples: resamples, confidence: confidence, using: &rng
      ) {
        try SCoReMetrics.transition($0, from: 1, to: 2).delta
      }
    }
    return out
  }
}
