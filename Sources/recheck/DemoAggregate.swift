import Evaluation
import Foundation
import TensorCore

/// The demo's tables over one or more training seeds: each value's mean over seeds and a 95 %
/// paired-bootstrap interval of that mean, resampling held-out problems within each seed
/// (`SCoReBootstrap.groupMeans`, 1000 resamples). A single seed gets intervals too.
///
/// The bootstrap generator is seeded from the seed list (`bootstrapSeed`) and restarted for every
/// method and table, so a method's interval does not depend on which other methods ran.
enum DemoAggregate {
  static let resamples = 1000

  /// FNV-1a over the seeds' little-endian bytes: the same seed list gives the same intervals.
  static func bootstrapSeed(_ seeds: [UInt64]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for s in seeds {
      for i in 0..<8 {
        h ^= (s >> (8 * UInt64(i))) & 0xFF
        h = h &* 0x0000_0100_0000_01B3
      }
    }
    return h
  }

  static func combine(_ runs: [DemoSeedResult], resamples: Int = resamples) -> DemoTables {
    let seeds = runs.map(\.seed)
    let multi = runs.count > 1
    let rngSeed = bootstrapSeed(seeds)
    var out = DemoTables(
      score: [:], s2r: [:], seconds: runs.reduce(0) { $0 + $1.tables.seconds }, seeds: seeds,
      kernel: BLAS.backend)
    for name in Set(runs.flatMap { $0.tables.score.keys }) {
      let have = runs.filter { $0.tables.score[name] != nil }
      let rows = have.map { $0.tables.score[name]! }
      var row = ScoreRow(
        acc_t1: mean(rows.map(\.acc_t1)), acc_t2: mean(rows.map(\.acc_t2)), delta: mean(rows.map(\.delta)),
        delta_i2c: mean(rows.map(\.delta_i2c)), delta_c2i: mean(rows.map(\.delta_c2i)),
        edit_near0: optionalMean(rows.map(\.edit_near0)))
      let groups = have.compactMap { $0.turns[name] }
      if groups.count == have.count {
        var rng = SeededRNG(seed: rngSeed)
        row.ci = intervals(
          groups, resamples: resamples, using: &rng,
          [
            ("acc_t1", { try SCoReMetrics.accuracy($0, turn: 1) }),
            ("acc_t2", { try SCoReMetrics.accuracy($0, turn: 2) }),
            ("delta", { try SCoReMetrics.transition($0).delta }),
            ("delta_i2c", { try SCoReMetrics.transition($0).incorrectToCorrect }),
            ("delta_c2i", { try SCoReMetrics.transition($0).correctToIncorrect }),
          ])
      }
      if multi { row.per_seed = Dictionary(uniqueKeysWithValues: zip(have.map { "\($0.seed)" }, rows)) }
      out.score[name] = row
    }
    for name in Set(runs.flatMap { $0.tables.s2r.keys }) {
      let have = runs.filter { $0.tables.s2r[name] != nil }
      var rows = have.map { $0.tables.s2r[name]! }
      for i in rows.indices { rows[i].final_minus_first = rows[i].final_acc - rows[i].first_acc }
      var row = S2RRow(
        first_acc: mean(rows.map(\.first_acc)), final_acc: mean(rows.map(\.final_acc)),
        verification_acc: mean(rows.map(\.verification_acc)), avg_attempts: mean(rows.map(\.avg_attempts)),
        final_minus_first: mean(rows.map { $0.final_acc - $0.first_acc }))
      let groups = have.compactMap { $0.records[name] }
      if groups.count == have.count {
        var rng = SeededRNG(seed: rngSeed)
        row.ci = intervals(
          groups, resamples: resamples, using: &rng,
          [
            ("final_minus_first", { S2RMetrics.delta($0) ?? .nan }),
            ("first_acc", { S2RMetrics.firstAttemptAccuracy($0) ?? .nan }),
            ("final_acc", { S2RMetrics.finalAccuracy($0) ?? .nan }),
          ])
      }
      if multi { row.per_seed = Dictionary(uniqueKeysWithValues: zip(have.map { "\($0.seed)" }, rows)) }
      out.s2r[name] = row
    }
    var verification: [String: VerificationRow] = [:]
    for name in Set(runs.flatMap { $0.checked.keys }) {
      let have = runs.filter { $0.checked[name] != nil }
      let perSeed = have.map { verificationRow(S2RVerificationRates($0.checked[name]!)) }
      var row = VerificationRow(
        a: optionalMean(perSeed.map(\.a)), r: optionalMean(perSeed.map(\.r)),
        a_plus_r: optionalMean(perSeed.map(\.a_plus_r)), right: perSeed.reduce(0) { $0 + $1.right },
        wrong: perSeed.reduce(0) { $0 + $1.wrong }, accepted: perSeed.reduce(0) { $0 + $1.accepted },
        rejected: perSeed.reduce(0) { $0 + $1.rejected },
        undetermined: perSeed.reduce(0) { $0 + $1.undetermined })
      var rng = SeededRNG(seed: rngSeed)
      row.ci = intervals(
        have.map { $0.checked[name]! }, resamples: resamples, using: &rng,
        [
          ("a", { S2RVerificationRates($0).a ?? .nan }),
          ("r", { S2RVerificationRates($0).r ?? .nan }),
          ("a_plus_r", { verificationRow(S2RVerificationRates($0)).a_plus_r ?? .nan }),
        ])
      if multi { row.per_seed = Dictionary(uniqueKeysWithValues: zip(have.map { "\($0.seed)" }, perSeed)) }
      verification[name] = row
    }
    out.verification = verification.isEmpty ? nil : verification
    return out
  }

  /// One seed's verification counts and rates (a + r only when both are defined).
  static func verificationRow(_ v: S2RVerificationRates) -> VerificationRow {
    VerificationRow(
      a: v.a, r: v.r, a_plus_r: v.a.flatMap { a in v.r.map { a + $0 } }, right: v.right, wrong: v.wrong,
      accepted: v.accepted, rejected: v.rejected, undetermined: v.undetermined)
  }

  /// Named statistics' intervals from one set of resamples; undefined intervals are left out.
  static func intervals<Row, R: RandomNumberGenerator>(
    _ groups: [[Row]], resamples: Int, using rng: inout R, _ stats: [(String, ([Row]) throws -> Double)]
  ) -> [String: [Double]] {
    let means = SCoReBootstrap.groupMeans(
      groups: groups, statistics: stats.map { f in { (try? f.1($0)) ?? .nan } }, resamples: resamples,
      using: &rng)
    var out: [String: [Double]] = [:]
    for ((key, _), m) in zip(stats, means) where m.interval.low.isFinite && m.interval.high.isFinite {
      out[key] = [m.interval.low, m.interval.high]
    }
    return out
  }

  static func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }

  static func optionalMean(_ xs: [Double?]) -> Double? {
    let v = xs.compactMap { $0 }
    return v.isEmpty ? nil : mean(v)
  }
}
