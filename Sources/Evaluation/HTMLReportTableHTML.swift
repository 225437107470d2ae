/// The results tables as HTML: each cell is the value in percent, with its 95% bootstrap interval
/// underneath when the run has per-problem outcomes.
enum HTMLReportTableHTML {
  static func cell(_ v: Double, _ interval: SCoReInterval?) -> String {
    guard v.isFinite else { return "<td>–</td>" }
    var c = "<td>\(SCoReSummaryTable.percent(v))"
    if let i = interval, i.low.isFinite, i.high.isFinite {
      c += "<br><small>[\(SCoReSummaryTable.percent(i.low)), \(SCoReSummaryTable.percent(i.high))]</small>"
    }
    return c + "</td>"
  }

  static func name(_ key: String) -> String {
    "<td class=\"l\" title=\"\(HTMLEscape.text(key))\">\(HTMLEscape.text(HTMLReportMethods.label(key)))</td>"
  }

  /// Table 1 (SCoRe layout, Kumar et al. 2024 Table 2).
  static func score(_ rows: [HTMLReportTables.ScoreRow]) -> String {
    guard !rows.isEmpty else { return "" }
    var h = "<table class=\"results\" id=\"score-table\"><caption>Table 1. Two-turn self-correction "
    h += "(greedy, held-out; % of problems; 95% bootstrap intervals in brackets)</caption>\n"
    h += "<tr><th>method</th><th>Acc@t1</th><th>Acc@t2</th><th>Δ(t1, t2)</th>"
    h += "<th>Δ<sup>i→c</sup>(t1, t2)</th><th>Δ<sup>c→i</sup>(t1, t2)</th></tr>\n"
    for r in rows {
      h += "<tr>" + name(r.name) + cell(r.accT1, r.intervals["acc_t1"]) + cell(r.accT2, r.intervals["acc_t2"])
      h += cell(r.delta, r.intervals["delta"]) + cell(r.incorrectToCorrect, r.intervals["delta_i2c"])
      h += cell(r.correctToIncorrect, r.intervals["delta_c2i"]) + "</tr>\n"
    }
    return h + "</table>\n"
  }

  /// Table 2 (S²R layout, Ma et al. 2025).
  static func s2r(_ rows: [HTMLReportTables.S2RRow]) -> String {
    guard !rows.isEmpty else { return "" }
    var h = "<table class=\"results\" id=\"s2r-table\"><caption>Table 2. Self-verification and "
    h += "self-correction (greedy, held-out; accuracies in %)</caption>\n"
    h += "<tr><th>method</th><th>first attempt</th><th>final</th><th>verification acc.</th>"
    h += "<th>avg. attempts</th></tr>\n"
    for r in rows {
      h += "<tr>" + name(r.name) + cell(r.firstAccuracy, r.intervals["first_acc"])
      h += cell(r.finalAccuracy, r.intervals["final_acc"]) + cell(r.verificationAccuracy, nil)
      h += r.averageAttempts.isFinite ? "<td>\(SVGChart.fmt(r.averageAttempts))</td>" : "<td>–</td>"
      h += "</tr>\n"
    }
    return h + "</table>\n"
  }
}
