import Foundation

/// One group of a grouped bar chart: a category (a method) and one value per series, each with an
/// optional interval drawn as an error bar.
public struct BarGroup: Sendable, Equatable {
  public var name: String
  public var values: [Double]
  public var intervals: [SCoReInterval?]

  public init(name: String, values: [Double], intervals: [SCoReInterval?] = []) {
    self.name = name
    self.values = values
    self.intervals = intervals
  }
}

/// Vertical grouped bars, in percent of problems: the figure the papers use for Δ^{i→c} / Δ^{c→i}
/// per method (SCoRe, Kumar et al. 2024, Fig. 1/6) and first → final accuracy (S²R, Ma et al. 2025).
extension SVGChart {
  /// Legend text width estimate (px per character at the 11 px legend font); only used to space
  /// legend items so that they never overlap.
  static let legendCharWidth = 7.0

  /// Bars start at y = 0 (the plot's bottom) and their heights are proportional to the values
  /// (negative values draw nothing): height = v / top · plotHeight, where top is the largest value
  /// or interval end. Each bar is labelled with its value; the legend sits under the title.
  ///
  /// Example: groups [("a", [0.1, 0.2])] with plotHeight 200 → bars of height 100 and 200.
  public static func groupedBars(
    title: String, series: [String], groups: [BarGroup], width: Int = 560, plotHeight: Double = 200
  ) -> String {
    let colors = ["#2ca02c", "#d62728", "#1f77b4", "#ff7f0e"]
    let (left, top) = (44.0, 46.0)
    let right = Double(width) - 10
    let bottom = top + plotHeight
    let height = Int(bottom + 34)
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
      + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTMLEscape.text(title))\">"
    svg += "<text x=\"\(fmt(Double(width) / 2))\" y=\"16\" text-anchor=\"middle\" class=\"t\">"
    svg += "\(HTMLEscape.text(title))</text>"
    var lx = left
    for (j, name) in series.enumerated() {
      let color = colors[j % colors.count]
      svg += "<rect class=\"lg\" x=\"\(fmt(lx))\" y=\"26\" width=\"12\" height=\"10\" fill=\"\(color)\"/>"
      svg += "<text x=\"\(fmt(lx + 16))\" y=\"35\" class=\"l\">\(HTMLEscape.text(name))</text>"
      lx += 16 + Double(name.count) * legendCharWidth + 18
    }
    let finite = groups.flatMap { g in
      g.values.filter(\.isFinite) + g.intervals.compactMap { $0?.high }.filter(\.isFinite)
    }
    guard !groups.isEmpty, let peak = finite.max() else {
      return svg + "<text x=\"\(fmt(left))\" y=\"\(fmt(top + 30))\" class=\"n\">no data</text></svg>"
    }
    let topValue = max(peak, 0.01)
    func py(_ v: Double) -> Double { bottom - max(0, v) / topValue * plotHeight }
    svg +=
      "<line x1=\"\(fmt(left))\" y1=\"\(fmt(bottom))\" x2=\"\(fmt(right))\" y2=\"\(fmt(bottom))\" stroke=\"#888\"/>"
    for f in [0.5, 1.0] {
      let y = py(topValue * f)
      svg +=
        "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y))\" x2=\"\(fmt(right))\" y2=\"\(fmt(y))\" stroke=\"#eee\"/>"
      svg += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(y + 4))\" text-anchor=\"end\" class=\"a\">"
      svg += "\(SCoReSummaryTable.percent(topValue * f))</text>"
    }
    svg += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(bottom + 4))\" text-anchor=\"end\" class=\"a\">0</text>"
    let groupWidth = (right - left) / Double(groups.count)
    let n = max(series.count, 1)
    let barWidth = min(30, groupWidth * 0.8 / Double(n))
    for (g, group) in groups.enumerated() {
      let x0 = left + Double(g) * groupWidth + (groupWidth - barWidth * Double(n)) / 2
      for (j, v) in group.values.enumerated() where v.isFinite {
        let x = x0 + Double(j) * barWidth
        let y = py(v)
        svg += "<rect class=\"bar\" x=\"\(fmt(x + 1))\" y=\"\(fmt(y))\" width=\"\(fmt(barWidth - 2))\" "
        svg += "height=\"\(fmt(bottom - y))\" fill=\"\(colors[j % colors.count])\"/>"
        if j < group.intervals.count, let iv = group.intervals[j], iv.low.isFinite, iv.high.isFinite {
          let cx = fmt(x + barWidth / 2)
          svg +=
            "<line class=\"ci\" x1=\"\(cx)\" y1=\"\(fmt(py(iv.low)))\" x2=\"\(cx)\" y2=\"\(fmt(py(iv.high)))\" "
          svg += "stroke=\"#333\"/>"
        }
        let labelY = min(y, j < group.intervals.count ? group.intervals[j].map { py($0.high) } ?? y : y) - 3
        svg += "<text x=\"\(fmt(x + barWidth / 2))\" y=\"\(fmt(labelY))\" text-anchor=\"middle\" class=\"a\">"
        svg += "\(SCoReSummaryTable.percent(v))</text>"
      }
      svg += "<text x=\"\(fmt(left + (Double(g) + 0.5) * groupWidth))\" y=\"\(fmt(bottom + 16))\" "
      svg +=
        "text-anchor=\"middle\" class=\"l\">\(HTMLEscape.text(short(group.name, max(6, Int(groupWidth / 6.5)))))</text>"
    }
    return svg + "</svg>"
  }
}
