import Foundation

/// Text table in the layout of [P] Tables 1–3: one row per method, columns Acc@t1, Acc@t2,
/// Δ(t1,t2), Δ^{i→c}(t1,t2), Δ^{c→i}(t1,t2), as percentages with one decimal. The method column is
/// left-aligned, numbers right-aligned, columns separated by two spaces.
///
/// Example (one row "Base", Acc 0.526 / 0.414, i→c 0.046, c→i 0.158):
/// ```
/// method  Acc@t1  Acc@t2  Δ(t1,t2)  Δ^{i→c}(t1,t2)  Δ^{c→i}(t1,t2)
/// Base      52.6    41.4     -11.2             4.6            15.8
/// ```
public enum SCoReSummaryTable {
  public static let headers = ["Acc@t1", "Acc@t2", "Δ(t1,t2)", "Δ^{i→c}(t1,t2)", "Δ^{c→i}(t1,t2)"]

  /// Percent with one decimal; never prints "-0.0".
  ///
  /// Example: `percent(-0.112)` is `"-11.2"`; `percent(-0.0001)` is `"0.0"`.
  public static func percent(_ fraction: Double) -> String {
    let s = String(format: "%.1f", fraction * 100)
    return s == "-0.0" ? "0.0" : s
  }

  /// The table; summaries without a t1 → t2 transition show "–" in the Δ columns.
  public static func render(_ summaries: [SCoReSummary]) -> String {
    var rows: [[String]] = [["method"] + headers]
    for s in summaries {
      let acc1 = s.accuracy.first.map(percent) ?? "–"
      let acc2 = s.accuracy.count > 1 ? percent(s.accuracy[1]) : "–"
      let t = s.transition
      rows.append([
        s.name, acc1, acc2, t.map { percent($0.delta) } ?? "–",
        t.map { percent($0.incorrectToCorrect) } ?? "–",
        t.map { percent($0.correctToIncorrect) } ?? "–",
      ])
    }
    let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { c, cell in
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        return c == 0 ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }
}
