/// Per training stage, the few curves that explain it, chosen by metric name — not one chart per
/// logged key (grad norms, learning rates, phase counters and timings stay in metrics.jsonl).
public enum HTMLReportCurves {
  /// Chart title → the metric keys it draws, in order. A stage gets each chart whose keys it logs.
  public static let charts: [(title: String, keys: [String])] = [
    ("reward", ["reward", "reward_t1", "reward_t2"]),
    ("accuracy", ["acc_t1", "acc_t2", "first_acc", "final_acc", "verification_acc"]),
    ("KL to the reference", ["kl", "kl_t1", "kl_t2"]),
    ("attempts per problem", ["attempts"]),
  ]
  /// Supervised stages log neither reward nor accuracy: their curve is the training loss.
  public static let lossKeys = ["nll", "loss"]

  /// The charts of one stage's metrics.
  public static func select(_ metrics: [String: [(x: Double, y: Double)]]) -> [(
    title: String, series: [ChartSeries]
  )] {
    var out: [(title: String, series: [ChartSeries])] = []
    for c in charts {
      // One point is not a curve: Pair-SFT logs its sampled accuracy once, before its SFT steps, and
      // a lone dot would stand in for the loss curve that explains the stage.
      var series = c.keys.compactMap { k in
        metrics[k].flatMap { $0.count >= 2 ? ChartSeries(name: legend(k), points: $0) : nil }
      }
      // A KL that is identically zero (a supervised stage logging its unused penalty) explains nothing.
      if c.keys.contains("kl"), series.allSatisfy({ $0.points.allSatisfy { $0.y == 0 } }) { series = [] }
      if !series.isEmpty { out.append((c.title, series)) }
    }
    if !out.contains(where: { $0.title == "reward" || $0.title == "accuracy" }),
      let k = lossKeys.first(where: { metrics[$0] != nil })
    {
      out.append(("training loss (\(k))", [ChartSeries(name: k, points: metrics[k]!)]))
    }
    return out
  }

  /// A legend entry for a metric key: `reward_t2` → "reward, turn 2", `first_acc` → "first acc".
  static func legend(_ key: String) -> String {
    var k = key
    for t in 1...2 where k.hasSuffix("_t\(t)") { k = String(k.dropLast(3)) + ", turn \(t)" }
    return k.replacingOccurrences(of: "_", with: " ")
  }

  /// The stage a metrics file belongs to: its directory (`score/metrics.jsonl` → `score`), or the
  /// file name for a top-level file.
  static func stage(_ file: String) -> String {
    let parts = file.split(separator: "/")
    return parts.count > 1 ? String(parts[parts.count - 2]) : file
  }

  static func html(_ curves: [(file: String, metrics: [String: [(x: Double, y: Double)]])]) -> String {
    guard !curves.isEmpty else { return "<p class=\"none\">No metrics*.jsonl files.</p>\n" }
    let byStage = Dictionary(curves.map { (stage($0.file), $0) }, uniquingKeysWith: { a, _ in a })
    // Stages flow side by side, each as wide as its charts (264 px + card padding and gap), so a
    // stage with one curve does not leave a page-wide gap.
    var h = "<div class=\"stages\">"
    for key in HTMLReportMethods.ordered(byStage.keys) {
      let c = byStage[key]!
      let charts = select(c.metrics)
      h +=
        "<div class=\"stage\" style=\"width:\(max(charts.count, 1) * 284 - 10)px\"><h3>\(HTMLEscape.text(HTMLReportMethods.label(key)))"
      h += " <small>(\(HTMLEscape.text(c.file)))</small></h3>"
      if let caption = HTMLReportMethods.caption(key) { h += "<p>\(HTMLEscape.text(caption))</p>" }
      if charts.isEmpty { h += "<p class=\"none\">No reward, accuracy, KL, attempts or loss curves.</p>" }
      h += "<div class=\"grid\">"
      for chart in charts {
        h +=
          "<div class=\"card\">"
          + SVGChart.line(title: chart.title, series: chart.series, width: 264, height: 190)
        h += "</div>"
      }
      h += "</div></div>\n"
    }
    return h + "</div>\n"
  }
}
