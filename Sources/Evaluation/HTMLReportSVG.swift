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

  /// A line chart of `series` in a `width`×`height` box with axes, min/max tick labels and a legend
  /// of one row per series below it (the box grows by 14 px per extra series).
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
    let total = height + 14 * max(clean.count - 1, 0)
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(total)\" "
      + "viewBox=\"0 0 \(width) \(total)\" role=\"img\" aria-label=\"\(HTMLEscape.text(title))\">"
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
    let (left, right, top, bottom) = (56.0, w - 10, 26.0, h - 36)
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
      "<text x=\"\(fmt((left + right) / 2))\" y=\"\(fmt(bottom + 12))\" text-anchor=\"middle\" class=\"a\">step</text>"
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
      // One legend row per series under the x labels, so long names never run into each other.
      let ly = h - 8 + 14 * Double(i)
      let lx = left
      svg += "<rect x=\"\(fmt(lx))\" y=\"\(fmt(ly - 8))\" width=\"10\" height=\"3\" fill=\"\(color)\"/>"
      svg +=
        "<text x=\"\(fmt(lx + 14))\" y=\"\(fmt(ly - 4))\" class=\"a\">\(HTMLEscape.text(short(s.name, 60)))</text>"
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

  /// An axis label with three significant digits (short enough for the 56 px left margin).
  static func label(_ v: Double) -> String { String(format: "%.3g", v) }

  static func short(_ s: String, _ n: Int = 28) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }
}
