import Datasets
import Foundation

/// What a report shows, gathered from a run directory (each piece optional).
public struct HTMLReportData: Sendable {
  /// Training curves: file name → numeric series by metric key (x = `step`, else the line number).
  public var curves: [(file: String, metrics: [String: [(x: Double, y: Double)]])]
  public var summaries: [(file: String, summary: EvalSummary)]
  /// The run's two results tables (`tables.json`), with intervals where results files allow.
  public var tables: HTMLReportTables?
  /// Run facts shown under the title (seed, held-out problems, wall time), in order.
  public var facts: [(name: String, value: String)]
  /// A few trajectories of each results file.
  public var samples: [HTMLReportSample]
  /// Files that could not be read, with why (shown in the report, never fatal).
  public var problems: [String]

  public init(
    curves: [(file: String, metrics: [String: [(x: Double, y: Double)]])] = [],
    summaries: [(file: String, summary: EvalSummary)] = [],
    tables: HTMLReportTables? = nil, facts: [(name: String, value: String)] = [],
    samples: [HTMLReportSample] = [], problems: [String] = []
  ) {
    self.curves = curves
    self.summaries = summaries
    self.tables = tables
    self.facts = facts
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
  public static func gather(_ dir: URL, samplesPerFile: Int = 1) -> HTMLReportData {
    var data = HTMLReportData()
    var heldOut: Int?
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
      } else if name == "tables.json" {
        do { data.tables = try HTMLReportTables.read(url) } catch {
          data.problems.append("\(rel): not a results table (\(error))")
        }
      } else if name.hasSuffix(".jsonl") && (name.hasPrefix("results") || rel.hasPrefix("results/")) {
        let method = name.hasPrefix("results") ? rel : String(name.dropLast(".jsonl".count))
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let picked = HTMLReportSample.pick(text, method: method, count: samplesPerFile)
        if picked.isEmpty && samplesPerFile > 0 {
          data.problems.append("\(rel): no readable records")
        }
        data.samples += picked
        if heldOut == nil { heldOut = text.split(separator: "\n").count }
      }
    }
    data.samples.sort { a, b in
      let order = HTMLReportMethods.ordered([a.method, b.method])
      return a.method != b.method && order[0] == a.method
    }
    if let o = try? JSONSerialization.jsonObject(
      with: Data(contentsOf: dir.appendingPathComponent("config.json")))
      as? [String: Any], let seed = o["seed"] as? NSNumber
    {
      data.facts.append(("seed", "\(seed)"))
    }
    if let heldOut { data.facts.append(("held-out problems per method", "\(heldOut)")) }
    if let t = data.tables {
      data.facts.append(
        ("methods", "\(t.score.count) two-turn (SCoRe layout), \(t.s2r.count) self-verifying (S²R layout)"))
    }
    if let o = try? JSONSerialization.jsonObject(
      with: Data(contentsOf: dir.appendingPathComponent("tables.json")))
      as? [String: Any], let seconds = (o["seconds"] as? NSNumber)?.doubleValue
    {
      data.facts.append(("wall time", String(format: "%.0f s", seconds)))
    }
    data.facts.append(("metrics files", "\(data.curves.count)"))
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

  /// The page, in the order of a paper's results section: run facts; the results tables; the
  /// transition and first → final figures; per training stage the few curves that explain it; sample
  /// trajectories; unreadable files.
  public static func render(_ d: HTMLReportData, title: String) -> String {
    var h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(HTMLEscape.text(title))</title>\n"
    h += "<style>\(css)</style></head><body>\n<h1>\(HTMLEscape.text(title))</h1>\n"
    if !d.facts.isEmpty {
      h += "<p class=\"facts\">"
      h += d.facts.map { "\(HTMLEscape.text($0.name)): <b>\(HTMLEscape.text($0.value))</b>" }.joined(
        separator: " · ")
      h += "</p>\n"
    }
    h += "<h2>Results</h2>\n"
    if let t = d.tables { h += HTMLReportTableHTML.score(t.score) + HTMLReportTableHTML.s2r(t.s2r) }
    if !d.summaries.isEmpty || d.tables == nil {
      h += "<h3>Evaluation summaries</h3>\n" + accuracyTable(d.summaries)
    }
    h += figures(d)
    h += "<h2>Training</h2>\n"
    h += HTMLReportCurves.html(d.curves)
    h += "<h2>Sample trajectories</h2>\n"
    if d.samples.isEmpty { h += "<p class=\"none\">No results files.</p>\n" }
    for s in d.samples { h += s.html }
    if !d.problems.isEmpty {
      h +=
        "<h2>Skipped files</h2><ul>" + d.problems.map { "<li>\(HTMLEscape.text($0))</li>" }.joined()
        + "</ul>\n"
    }
    return h + "</body></html>\n"
  }

  /// Figure 1: Δ^{i→c} / Δ^{c→i} per two-turn method (from the table, else from eval summaries);
  /// Figure 2: first → final accuracy per S²R method.
  static func figures(_ d: HTMLReportData) -> String {
    var groups: [BarGroup] = []
    if let t = d.tables, !t.score.isEmpty {
      groups = t.score.map {
        BarGroup(
          name: HTMLReportMethods.label($0.name), values: [$0.incorrectToCorrect, $0.correctToIncorrect],
          intervals: [$0.intervals["delta_i2c"], $0.intervals["delta_c2i"]])
      }
    } else {
      groups = d.summaries.compactMap { s in
        s.summary.transition.map {
          BarGroup(name: s.summary.name, values: [$0.incorrectToCorrect, $0.correctToIncorrect])
        }
      }
    }
    var h = ""
    if !groups.isEmpty {
      h +=
        "<figure>"
        + SVGChart.groupedBars(
          title: "Self-correction transitions, % of problems", series: ["Δ i→c (fixed)", "Δ c→i (broken)"],
          groups: groups, width: max(560, min(1120, 110 * groups.count)))
      h += "<figcaption>Figure 1. Problems turned from incorrect to correct (green) and from correct to "
      h +=
        "incorrect (red) between turn 1 and turn 2; whiskers are 95% bootstrap intervals.</figcaption></figure>\n"
    }
    if let t = d.tables, !t.s2r.isEmpty {
      let s2r = t.s2r.map {
        BarGroup(
          name: HTMLReportMethods.label($0.name), values: [$0.firstAccuracy, $0.finalAccuracy],
          intervals: [$0.intervals["first_acc"], $0.intervals["final_acc"]])
      }
      h +=
        "<figure>"
        + SVGChart.groupedBars(
          title: "S²R first attempt → final answer, accuracy %", series: ["first attempt", "final"],
          groups: s2r, width: max(420, 140 * s2r.count))
      h += "<figcaption>Figure 2. Accuracy of the first attempt and of the final answer after "
      h += "self-verification and correction; whiskers are 95% bootstrap intervals.</figcaption></figure>\n"
    }
    return h
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
    svg .f{fill:none;stroke:#bbb}svg .l{font-size:11px;fill:#222}
    .facts{color:#444}figure{margin:14px 0}figcaption{font-size:12px;color:#555;max-width:900px}
    caption{caption-side:top;text-align:left;font-size:13px;padding:4px 0;color:#333}
    td small{color:#777;font-size:11px}p.st{margin:4px 0 0;font-size:12px;color:#555}
    .stages{display:flex;flex-wrap:wrap;gap:6px 24px}.stage{margin-bottom:10px}.stage h3{margin:8px 0 2px}.stage p{margin:2px 0 4px;color:#555}
    """
}
