/// The demo's results as `tables.json` and `--json` write them. Every value is a fraction except
/// `avg_attempts` (a count) and `seconds`.
///
/// Layout (stable; fields after the first four of a row were added for issue 20 and are optional):
///
///     {"seeds": [1, 2, 3], "seconds": …, "kernel": "OpenBLAS (Haswell)",
///      "score": {"base": {"acc_t1": …, "acc_t2": …, "delta": …, "delta_i2c": …, "delta_c2i": …,
///                         "edit_near0": …, "ci": {"delta": [lo, hi], "acc_t1": […], …},
///                         "per_seed": {"1": {row}, …}}, …},
///      "s2r": {"s2r_bi": {"first_acc": …, "final_acc": …, "verification_acc": …, "avg_attempts": …,
///                         "final_minus_first": …, "ci": {"final_minus_first": […], …}, "per_seed": …}},
///      "verification": {"base_attempts": {"a": …, "r": …, "a_plus_r": …, "right": …, …}, "bi_own": …}}
///
/// Values are means over the seeds; `ci` holds 95 % paired-bootstrap intervals of those means
/// (`SCoReBootstrap.groupMeans`); `per_seed` (multi-seed runs only) each seed's own values.
struct DemoTables: Codable, Equatable {
  var score: [String: ScoreRow]
  var s2r: [String: S2RRow]
  var seconds: Double
  var seeds: [UInt64]?
  /// What ran the matrix products (`BLAS.backend`).
  var kernel: String?
  /// S²R's premise measured (issue 20 item 2), keyed "base_attempts" and "bi_own".
  var verification: [String: VerificationRow]?
}

/// One row of the SCoRe table (SCoRe [P] Table 2 columns).
struct ScoreRow: Codable, Equatable {
  var acc_t1, acc_t2, delta, delta_i2c, delta_c2i: Double
  /// Share of problems whose two turns are near-identical (edit-distance ratio < 0.05).
  var edit_near0: Double?
  /// Interval [lo, hi] per column: "acc_t1", "acc_t2", "delta", "delta_i2c", "delta_c2i".
  var ci: [String: [Double]]?
  var per_seed: [String: ScoreRow]?
}

/// One row of the S²R table (S²R [P] Table 2/3 columns).
struct S2RRow: Codable, Equatable {
  var first_acc, final_acc, verification_acc, avg_attempts: Double
  var final_minus_first: Double?
  /// Interval [lo, hi] per column: "final_minus_first", "first_acc", "final_acc".
  var ci: [String: [Double]]?
  var per_seed: [String: S2RRow]?
}

/// How often a verifier accepts right and rejects wrong first attempts (`S2RVerificationRates`):
/// `a`, `r`, `a_plus_r` are means over seeds of each seed's rates (nil where undefined); the counts
/// are summed over seeds.
struct VerificationRow: Codable, Equatable {
  var a, r, a_plus_r: Double?
  var right, wrong, accepted, rejected, undetermined: Int
  /// Interval [lo, hi] per rate: "a", "r", "a_plus_r".
  var ci: [String: [Double]]?
  var per_seed: [String: VerificationRow]?
}
