import Foundation

/// Escapes text for HTML element content and attribute values.
///
/// Example: `HTMLEscape.text("a<b & \"c\"")` is `"a&lt;b &amp; &quot;c&quot;"`.
public enum HTMLEscape {
  public static func text(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }
}

/// One named line of (x, y) points.
public struct ChartSeries: Sendable, Equatable {
  public var name: String
  public var points: [(x: Double, y: Double)]

  public init(name: String, points: [(x: Double, y: Double)]) {
    self.name = name
    self.points = points
  }

  public static func == (a: ChartSeries, b: ChartSeries) -> Bool {
    a.name == b.name && a.points.map(\.x) == b.points.map(\.x) && a.points.map(\.y) == b.points.map(\.y)
  }
}

/// Inline SVG charts (no scripts, no external resources). Non-finite values are dropped; a chart
/// with nothing to draw says so instead of drawing an empty frame.
public enum SVGChart {
  static let palette = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
  ]

  /// A line chart of `series` in a `width`×`height` box with axes, min/max tick labels and a legend.
  ///
  /// Example: one series [(0, 1), (10, 3)] draws one `<polyline>` from the bottom-left to the top-right
  /// of the plot area, with y labels "1" and "3".
  public static func line(title: String, series: [ChartSeries], width: Int = 360, height: Int = 220) -> String
  {
    let clean = series.map { s in
      ChartSeries(name: s.name, points: s.points.filter { $0.x.isFinite && $0.y.isFinite })
    }.filter { !$0.points.isEmpty }
    let w = Double(width)
    let h = Double(height)
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
      + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTMLEscape.text(title))\">"
    svg +=
      "<text x=\"\(fmt(w / 2))\" y=\"16\" text-anchor=\"middle\" class=\"t\">\(HTMLEscape.text(title))</text>"
    guard !clean.isEmpty else {
      return svg
        + "<text x=\"\(fmt(w / 2))\" y=\"\(fmt(h / 2))\" text-anchor=\"middle\" class=\"n\">no data</text></svg>"
    }
    let xs = clean.flatMap { $0.points.map(\.x) }
    let ys = clean.flatMap { $0.points.map(\.y) }
    var (x0, x1) = (xs.min()!, xs.max()!)
    var (y0, y1) = (ys.min()!, ys.max()!)
    if x0 == x1 { (x0, x1) = (x0 - 1, x1 + 1) }
    if y0 == y1 { (y0, y1) = (y0 - 1, y1 + 1) }
    let (left, right, top, bottom) = (48.0, w - 10, 26.0, h - 36)
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (right - left) }
    func py(_ y: Double) -> Double { bottom - (y - y0) / (y1 - y0) * (bottom - top) }
    svg +=
      "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(right - left))\" height=\"\(fmt(bottom - top))\" class=\"f\"/>"
    svg +=
      "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(top + 4))\" text-anchor=\"end\" class=\"a\">\(label(y1))</text>"
    svg +=
      "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(bottom))\" text-anchor=\"end\" class=\"a\">\(label(y0))</text>"
    svg += "<text x=\"\(fmt(left))\" y=\"\(fmt(bottom + 12))\" class=\"a\">\(label(x0))</text>"
    svg +=
      "<text x=\"\(fmt(right))\" y=\"\(fmt(bottom + 12))\" text-anchor=\"end\" class=\"a\">\(label(x1))</text>"
    for (i, s) in clean.enumerated() {
      let color = palette[i % palette.count]
      let pts = s.points.map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
      if s.points.count == 1 {
        svg +=
          "<circle cx=\"\(fmt(px(s.points[0].x)))\" cy=\"\(fmt(py(s.points[0].y)))\" r=\"3\" fill=\"\(color)\"/>"
      } else {
        svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(pts)\"/>"
      }
      let ly = h - 8
      let lx = left + Double(i % 3) * (right - left) / 3
      svg += "<rect x=\"\(fmt(lx))\" y=\"\(fmt(ly - 8))\" width=\"10\" height=\"3\" fill=\"\(color)\"/>"
      svg +=
        "<text x=\"\(fmt(lx + 14))\" y=\"\(fmt(ly - 4))\" class=\"a\">\(HTMLEscape.text(short(s.name)))</text>"
    }
    return svg + "</svg>"
  }

  /// Paired horizontal bars per method: Δ^{i→c} (green) and Δ^{c→i} (red), in percent of problems.
  public static func transitionBars(_ rows: [(name: String, fixed: Double, broken: Double)], width: Int = 520)
    -> String
  {
    let clean = rows.filter { $0.fixed.isFinite && $0.broken.isFinite }
    let rowH = 34.0
    let height = Int(40 + rowH * Double(max(clean.count, 1)))
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
      + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"transitions\">"
    svg += "<text x=\"4\" y=\"14\" class=\"t\">Δ i→c (green) and Δ c→i (red), % of problems</text>"
    guard !clean.isEmpty else { return svg + "<text x=\"4\" y=\"40\" class=\"n\">no data</text></svg>" }
    let maxValue = max(clean.map { max($0.fixed, $0.broken) }.max()!, 0.01)
    let (left, right) = (150.0, Double(width) - 50)
    for (i, r) in clean.enumerated() {
      let y = 26 + Double(i) * rowH
      svg += "<text x=\"4\" y=\"\(fmt(y + 16))\" class=\"a\">\(HTMLEscape.text(short(r.name, 24)))</text>"
      for (j, (v, color)) in [(r.fixed, "#2ca02c"), (r.broken, "#d62728")].enumerated() {
        let bw = max(0, v) / maxValue * (right - left)
        let by = y + Double(j) * 13
        svg +=
          "<rect x=\"\(fmt(left))\" y=\"\(fmt(by))\" width=\"\(fmt(bw))\" height=\"11\" fill=\"\(color)\"/>"
        svg +=
          "<text x=\"\(fmt(left + bw + 4))\" y=\"\(fmt(by + 10))\" class=\"a\">\(SCoReSummaryTable.percent(v))</text>"
      }
    }
    return svg + "</svg>"
  }

  /// Two decimals, no trailing noise ("12.5", "3").
  static func fmt(_ v: Double) -> String {
    let s = String(format: "%.2f", v)
    var t = Substring(s)
    while t.hasSuffix("0") { t = t.dropLast() }
    if t.hasSuffix(".") { t = t.dropLast() }
    return t == "-0" ? "0" : String(t)
  }

  /// An axis label with four significant digits.
  static func label(_ v: Double) -> String { String(format: "%.4g", v) }

  static func short(_ s: String, _ n: Int = 28) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }
}
