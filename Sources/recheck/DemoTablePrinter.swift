import Foundation

/// The two tables in the papers' layouts, percentages with one decimal: the means over seeds,
/// then the 95 % paired-bootstrap interval of Δ (SCoRe) or final − first (S²R), then (several
/// seeds) each seed's value, so "holds on every seed" can be read off a row. Then the
/// verification rates a and r (S²R's premise).
enum DemoTablePrinter {
  static func render(_ t: DemoTables, scoreOrder: [String], s2rOrder: [String]) -> String {
    let seeds = t.seeds ?? []
    let multi = seeds.count > 1
    func pct(_ x: Double) -> String { String(format: "%.1f", 100 * x) }
    func signed(_ x: Double) -> String { String(format: "%+.1f", 100 * x) }
    func ci(_ c: [String: [Double]]?, _ key: String) -> String {
      guard let v = c?[key], v.count == 2 else { return "-" }
      return "[\(signed(v[0])), \(signed(v[1]))]"
    }
    func perSeed<R>(_ rows: [String: R]?, _ value: (R) -> Double) -> String {
      seeds.map { s in rows?["\(s)"].map { signed(value($0)) } ?? "-" }.joined(separator: " ")
    }
    func row(_ cells: [String], _ widths: [Int]) -> String {
      zip(cells, widths).enumerated().map { i, cw in
        i == 0 || i == cells.count - 1 && multi
          ? cw.0.padding(toLength: max(cw.1, cw.0.count), withPad: " ", startingAt: 0)
          : String(repeating: " ", count: max(cw.1 - cw.0.count, 0)) + cw.0
      }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    let over =
      multi
      ? "mean of seeds \(seeds.map(String.init).joined(separator: ", ")); 95 % paired-bootstrap intervals"
      : "seed \(seeds.first.map(String.init) ?? "?"); 95 % bootstrap intervals"
    var lines = ["SCoRe (held-out, greedy; \(over))"]
    let w1 = [16, 7, 7, 7, 7, 7, 14, 16] + (multi ? [18] : [])
    lines.append(
      row(
        ["method", "Acc@t1", "Acc@t2", "Δ", "Δi→c", "Δc→i", "edit≈0 (<.05)", "Δ 95% CI"]
          + (multi ? ["Δ per seed"] : []), w1))
    for m in scoreOrder {
      guard let r = t.score[m] else { continue }
      let near0 = r.edit_near0.map { String(format: "%.2f", $0) } ?? "-"
      lines.append(
        row(
          [
            m, pct(r.acc_t1), pct(r.acc_t2), pct(r.delta), pct(r.delta_i2c), pct(r.delta_c2i), near0,
            ci(r.ci, "delta"),
          ] + (multi ? [perSeed(r.per_seed, \.delta)] : []), w1))
    }
    lines.append("")
    lines.append("S²R (held-out, greedy, self-verifying; \(over))")
    let w2 = [16, 9, 9, 13, 9, 12, 16] + (multi ? [18] : [])
    lines.append(
      row(
        ["method", "first", "final", "verification", "attempts", "final−first", "95% CI"]
          + (multi ? ["per seed"] : []), w2))
    for m in s2rOrder {
      guard let r = t.s2r[m] else { continue }
      let gain = r.final_minus_first ?? (r.final_acc - r.first_acc)
      lines.append(
        row(
          [
            m, pct(r.first_acc), pct(r.final_acc), pct(r.verification_acc),
            String(format: "%.2f", r.avg_attempts), signed(gain), ci(r.ci, "final_minus_first"),
          ] + (multi ? [perSeed(r.per_seed) { $0.final_minus_first ?? ($0.final_acc - $0.first_acc) }] : []),
          w2))
    }
    let who = [
      ("base_attempts", "BI verifying the base's first attempts"),
      ("bi_own", "BI verifying its own first attempts"),
    ]
    for (key, label) in who {
      guard let v = t.verification?[key] else { continue }
      lines.append("s2r: \(label): " + verification(v, multi: multi, seeds: seeds.count))
    }
    lines.append(String(format: "(%.0f s", t.seconds) + (t.kernel.map { "; matrix products: \($0))" } ?? ")"))
    return lines.joined(separator: "\n")
  }

  /// "a = 0.93 [0.90, 0.96] (accepts 120/129 right), r = …, a + r = 1.81 […] (> 1: a retry is
  /// expected to pay)"; counts are summed over seeds.
  static func verification(_ v: VerificationRow, multi: Bool, seeds: Int) -> String {
    func f(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "–" }
    func ci(_ key: String) -> String {
      guard let c = v.ci?[key], c.count == 2 else { return "" }
      return " [\(f(c[0])), \(f(c[1]))]"
    }
    let over = multi ? " over \(seeds) seeds" : ""
    var s = "a = \(f(v.a))\(ci("a")) (accepts \(v.accepted)/\(v.right) right\(over)), "
    s += "r = \(f(v.r))\(ci("r")) (rejects \(v.rejected)/\(v.wrong) wrong)"
    if let ar = v.a_plus_r {
      s += ", a + r = \(f(ar))\(ci("a_plus_r")) "
      s += ar > 1 ? "(> 1: a retry is expected to pay)" : "(≤ 1: a retry is not expected to pay)"
    }
    return s + (v.undetermined > 0 ? "; \(v.undetermined) undetermined" : "")
  }
}
