import Datasets
import Foundation

/// What a report shows, gathered from a run directory (each piece optional).
public struct HTMLReportData: Sendable {
  /// Training curves: file name → numeric series by metric key (x = `step`, else the line number).
  public var curves: [(file: String, metrics: [String: [(x: Double, y: Double)]])]
  public var summaries: [(file: String, summary: EvalSummary)]
  /// A few records of each results file.
  public var samples: [(file: String, records: [EvalRecord])]
  /// Files that could not be read, with why (shown in the report, never fatal).
  public var problems: [String]

  public init(
    curves: [(file: String, metrics: [String: [(x: Double, y: Double)]])] = [],
    summaries: [(file: String, summary: EvalSummary)] = [],
    samples: [(file: String, records: [EvalRecord])] = [],
    problems: [String] = []
  ) {
    self.curves = curves
    self.summaries = summaries
    self.samples = samples
    self.problems = problems
  }
}

/// A self-contained HTML page for a run directory: training curves from every `metrics*.jsonl`, the
/// per-turn accuracy table and i→c / c→i bars from every `summary*.json`, and sample trajectories
/// from `results*.jsonl` — inline CSS and SVG, no scripts, no network. All text is HTML-escaped.
public enum HTMLReport {
  /// Reads `dir` (and its subdirectories, 3 levels) into report data; unreadable files are listed
  /// in `problems` instead of failing.
  public static func gather(_ dir: URL, samplesPerFile: Int = 3) -> HTMLReportData {
    var data = HTMLReportData()
    for url in files(in: dir, depth: 3) {
      let name = url.lastPathComponent
      let rel = String(url.path.dropFirst(dir.path.count)).trimmingCharacters(
        in: CharacterSet(charactersIn: "/"))
      if name.hasPrefix("metrics") && name.hasSuffix(".jsonl") {
        data.curves.append((rel, curves(url)))
      } else if name.hasPrefix("summary") && name.hasSuffix(".json") {
        do {
          data.summaries.append(
            (rel, try JSONDecoder().decode(EvalSummary.self, from: Data(contentsOf: url))))
        } catch { data.problems.append("\(rel): not an evaluation summary (\(error))") }
      } else if name.hasPrefix("results") && name.hasSuffix(".jsonl") {
        var records: [EvalRecord] = []
        if let text = try? String(contentsOf: url, encoding: .utf8) {
          for line in text.split(separator: "\n").prefix(samplesPerFile * 4)
          where records.count < samplesPerFile {
            if let r = try? JSONDecoder().decode(EvalRecord.self, from: Data(line.utf8)) { records.append(r) }
          }
        }
        if records.isEmpty {
          data.problems.append("\(rel): no readable records")
        } else {
          data.samples.append((rel, records))
        }
      }
    }
    return data
  }

  /// Numeric keys of a metrics JSONL file as series (non-numbers and bad lines skipped).
  static func curves(_ url: URL) -> [String: [(x: Double, y: Double)]] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
    var out: [String: [(x: Double, y: Double)]] = [:]
    for (i, line) in text.split(separator: "\n").enumerated() {
      guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        continue
      }
      // Booleans (NSNumbers in Foundation) are not numbers; long decimals are.
      let x = DatasetRecord.number(o["step"]) ?? Double(i)
      for (k, v) in o where k != "step" {
        if let y = DatasetRecord.number(v) { out[k, default: []].append((x, y)) }
      }
    }
    return out
  }

  static func files(in dir: URL, depth: Int) -> [URL] {
    guard depth >= 0,
      let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
    else { return [] }
    var out: [URL] = []
    for name in names.sorted() where !name.hasPrefix(".") {
      let url = dir.appendingPathComponent(name)
      var isDir: ObjCBool = false
      FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir)
      if isDir.boolValue { out += files(in: url, depth: depth - 1) } else { out.append(url) }
    }
    return out
  }

  /// The page.
  public static func render(_ d: HTMLReportData, title: String) -> String {
    var h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(HTMLEscape.text(title))</title>\n"
    h += "<style>\(css)</style></head><body>\n<h1>\(HTMLEscape.text(title))</h1>\n"
    h += "<h2>Training curves</h2>\n"
    let keys = Set(d.curves.flatMap { $0.metrics.keys }).sorted()
    if keys.isEmpty {
      h += "<p class=\"none\">No metrics*.jsonl files.</p>\n"
    } else {
      h += "<div class=\"grid\">"
      for key in keys {
        let series = d.curves.compactMap { c in c.metrics[key].map { ChartSeries(name: c.file, points: $0) } }
        h += "<div class=\"card\">" + SVGChart.line(title: key, series: series) + "</div>"
      }
      h += "</div>\n"
    }
    h += "<h2>Per-turn accuracy</h2>\n" + accuracyTable(d.summaries)
    h += "<h2>Self-correction transitions</h2>\n"
    let bars = d.summaries.compactMap { s in
      s.summary.transition.map {
        (
          name: "\(s.summary.name) (\(s.summary.evalProtocol))", fixed: $0.incorrectToCorrect,
          broken: $0.correctToIncorrect
        )
      }
    }
    h +=
      bars.isEmpty
      ? "<p class=\"none\">No two-attempt summaries.</p>\n"
      : "<div class=\"card\">" + SVGChart.transitionBars(bars) + "</div>\n"
    h += "<h2>Sample trajectories</h2>\n"
    if d.samples.isEmpty { h += "<p class=\"none\">No results*.jsonl files.</p>\n" }
    for (file, records) in d.samples {
      h += "<h3>\(HTMLEscape.text(file))</h3>\n"
      for r in records { h += sample(r) }
    }
    if !d.problems.isEmpty {
      h +=
        "<h2>Skipped files</h2><ul>" + d.problems.map { "<li>\(HTMLEscape.text($0))</li>" }.joined()
        + "</ul>\n"
    }
    return h + "</body></html>\n"
  }

  static func accuracyTable(_ summaries: [(file: String, summary: EvalSummary)]) -> String {
    guard !summaries.isEmpty else { return "<p class=\"none\">No summary*.json files.</p>\n" }
    let turns = summaries.map { $0.summary.accuracy.count }.max() ?? 0
    let p = SCoReSummaryTable.percent
    func cell(_ v: Double?) -> String { "<td>\(v.map { $0.isFinite ? p($0) : "–" } ?? "–")</td>" }
    var h = "<table><tr><th>method</th><th>protocol</th><th>N</th>"
    h += (0..<turns).map { "<th>Acc@t\($0 + 1)</th>" }.joined()
    h +=
      "<th>Δ</th><th>Δ<sup>i→c</sup></th><th>Δ<sup>c→i</sup></th><th>fix rate</th><th>VA</th><th>ER</th><th>CP</th><th>avg attempts</th></tr>\n"
    for (file, s) in summaries {
      h += "<tr><td class=\"l\" title=\"\(HTMLEscape.text(file))\">\(HTMLEscape.text(s.name))</td>"
      h += "<td class=\"l\">\(HTMLEscape.text(s.evalProtocol))</td><td>\(s.problems)</td>"
      for t in 0..<turns {
        let label =
          t < s.turnLabels.count && s.turnLabels[t] != "t\(t + 1)"
          ? " <small>(\(HTMLEscape.text(s.turnLabels[t])))</small>" : ""
        h +=
          t < s.accuracy.count
          ? "<td>\(s.accuracy[t].isFinite ? p(s.accuracy[t]) : "–")\(label)</td>" : "<td>–</td>"
      }
      h +=
        cell(s.transition?.delta) + cell(s.transition?.incorrectToCorrect)
        + cell(s.transition?.correctToIncorrect)
      h += cell(s.transition?.fixRate ?? nil)
      h +=
        cell(s.s2r?.verificationAccuracy ?? nil) + cell(s.s2r?.errorRecall ?? nil)
        + cell(s.s2r?.correctPrecision ?? nil)
      h += "<td>\(s.averageAttempts.isFinite ? String(format: "%.2f", s.averageAttempts) : "–")</td></tr>\n"
    }
    return h + "</table>\n"
  }

  static func sample(_ r: EvalRecord) -> String {
    var h =
      "<div class=\"sample\"><p><b>\(HTMLEscape.text(r.id))</b> — reference <code>\(HTMLEscape.text(r.reference))</code>, "
    h += "final \(r.finalCorrect ? "<span class=\"ok\">✓</span>" : "<span class=\"bad\">✗</span>")</p>\n"
    for (t, a) in r.attempts.enumerated() {
      let mark = a.correct ? "<span class=\"ok\">✓</span>" : "<span class=\"bad\">✗</span>"
      h += "<p>attempt \(t + 1) \(mark) answer <code>\(HTMLEscape.text(a.extracted ?? "–"))</code></p>"
      h += "<pre>\(HTMLEscape.text(String(a.text.prefix(2000))))</pre>\n"
      if let v = a.verification {
        h += "<p>verification: <i>\(HTMLEscape.text(a.verdict?.rawValue ?? "undetermined"))</i></p>"
        h += "<pre class=\"v\">\(HTMLEscape.text(String(v.prefix(1000))))</pre>\n"
      }
    }
    return h + "</div>\n"
  }

  static let css = """
    body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1150px}
    h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;margin-top:28px}
    .grid{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #e3e3e3;border-radius:4px;padding:4px}
    table{border-collapse:collapse;font-variant-numeric:tabular-nums}
    th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}td.l,th:first-child{text-align:left}
    th{background:#f4f4f4}pre{background:#f8f8f8;padding:6px;white-space:pre-wrap;margin:2px 0 8px}
    pre.v{background:#f2f6fb}.ok{color:#2ca02c;font-weight:bold}.bad{color:#d62728;font-weight:bold}
    .none{color:#888}.sample{border-left:3px solid #ddd;padding-left:10px;margin-bottom:14px}
    svg .t{font-size:12px;font-weight:bold}svg .a{font-size:10px;fill:#444}svg .n{font-size:12px;fill:#999}
    svg .f{fill:none;stroke:#bbb}
    """
}
