/// The multi-seed form of the percentile bootstrap: the same method trained with several seeds
/// gives one group of per-problem rows per seed, the reported value is the mean over seeds of a
/// per-seed statistic, and its interval comes from resampling problems within every seed.
extension SCoReBootstrap {
  /// One statistic over several groups: the mean over groups, each group's value, and the
  /// percentile interval of the mean.
  public struct GroupMean: Sendable, Equatable {
    public var mean: Double
    public var perGroup: [Double]
    public var interval: SCoReInterval
  }

  /// Mean over groups of each statistic, with a paired percentile-bootstrap interval of that mean.
  ///
  /// Each of the B resamples draws every group's rows with replacement (n_g draws from group g's
  /// n_g rows; rows whole, so two attempts of one problem stay paired), evaluates each statistic
  /// per group and averages over groups. All statistics see the same resamples. Quantiles as in
  /// `interval(rows:…)`; with one group and one statistic the draws, and so the interval, are
  /// exactly those of `interval(rows:…)` with the same generator.
  ///
  /// Statistics that are undefined on a sample (NaN or infinite, e.g. a rate whose denominator
  /// is empty) leave that group out of that sample's mean; a resample where no group is defined
  /// is left out of the quantiles. An empty group counts as undefined.
  ///
  /// Example: groups [[1, 0], [1, 1]] (per-problem right/wrong), statistic accuracy: the mean is
  /// (0.5 + 1) / 2 = 0.75; group 1 resamples to 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4 and
  /// group 2 always to 1, so the interval is [(0 + 1) / 2, (1 + 1) / 2] = [0.5, 1].
  public static func groupMeans<Row, R: RandomNumberGenerator>(
    groups: [[Row]], statistics: [([Row]) -> Double], resamples: Int = 1000, confidence: Double = 0.95,
    using rng: inout R
  ) -> [GroupMean] {
    let b = max(resamples, 1)
    let point = statistics.map { f in groups.map { $0.isEmpty ? Double.nan : f($0) } }
    var values = [[Double]](repeating: [], count: statistics.count)
    var samples = groups
    for _ in 0..<b {
      for (g, rows) in groups.enumerated() where !rows.isEmpty {
        for i in rows.indices { samples[g][i] = rows[Int.random(in: 0..<rows.count, using: &rng)] }
      }
      for (s, f) in statistics.enumerated() {
        let perGroup = samples.map { $0.isEmpty ? Double.nan : f($0) }
        if let m = finiteMean(perGroup) { values[s].append(m) }
      }
    }
    return statistics.indices.map { s in
      GroupMean(
        mean: finiteMean(point[s]) ?? .nan, perGroup: point[s],
        interval: percentiles(values[s], confidence: confidence))
    }
  }

  /// The (1−c)/2 and (1+c)/2 order statistics of `values` (see `interval(rows:…)`); NaN when empty.
  static func percentiles(_ values: [Double], confidence: Double) -> SCoReInterval {
    guard !values.isEmpty else { return SCoReInterval(low: .nan, high: .nan) }
    let sorted = values.sorted()
    let b = sorted.count
    let c = min(max(confidence, 0), 1)
    let lo = min(max(Int(((1 - c) / 2 * Double(b)).rounded(.down)), 0), b - 1)
    let hi = min(max(Int(((1 + c) / 2 * Double(b)).rounded(.up)) - 1, 0), b - 1)
    return SCoReInterval(low: sorted[lo], high: sorted[hi])
  }

  static func finiteMean(_ xs: [Double]) -> Double? {
    let f = xs.filter(\.isFinite)
    return f.isEmpty ? nil : f.reduce(0, +) / Double(f.count)
  }
}
