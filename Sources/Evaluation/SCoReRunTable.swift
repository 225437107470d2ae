/// The comparison `recheck score table` prints: [P] Table 2/4 rows (`SCoReSummaryTable`) for a set
/// of runs, then the edit-distance-ratio histogram of each method ([P] Fig. 3; mass in the first bin
/// means the second attempt copies the first — behaviour collapse).
///
/// Histogram layout: one line per method, `bins` counts over [0, 1] in equal-width bins, then the
/// fraction of ratios below 0.05:
/// ```
/// edit-distance ratio y1→y2, 10 bins over [0, 1]
/// Base   3 1 0 2 0 0 0 0 0 0   <0.05: 50.0%
/// ```
public enum SCoReRunTable {
  public static func render(_ runs: [SCoReRunEvaluation], bins: Int = 10) -> String {
    var out = SCoReSummaryTable.render(runs.map(\.summary))
    let width = runs.map(\.method.count).max() ?? 0
    out += "\nedit-distance ratio y1→y2, \(max(bins, 1)) bins over [0, 1]\n"
    for run in runs {
      let name = run.method + String(repeating: " ", count: width - run.method.count)
      guard !run.editDistanceRatios.isEmpty else {
        out += "\(name)   (no two-attempt episodes)\n"
        continue
      }
      let counts = SCoReEditDistance.histogram(run.editDistanceRatios, bins: bins)
      let nearZero =
        Double(run.editDistanceRatios.filter { $0 < 0.05 }.count) / Double(run.editDistanceRatios.count)
      out += "\(name)   " + counts.map(String.init).joined(separator: " ")
      out += "   <0.05: \(SCoReSummaryTable.percent(nearZero))%\n"
    }
    return out
  }
}
