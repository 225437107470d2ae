import ArgumentParser
import Evaluation
import Foundation
import Models

/// `recheck report RUN_DIR [--out report.html]`: a self-contained HTML page (inline SVG and CSS, no
/// scripts or network) laid out like a results section: run facts, the SCoRe and S²R tables (with
/// bootstrap intervals), the Δ^{i→c}/Δ^{c→i} and first → final figures, a few curves per training
/// stage, sample trajectories. Scripts/check-report.sh renders it to a PNG with headless Chromium.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write an HTML report (results tables, figures, stage curves, samples) for a run directory.")

  @Argument(
    help:
      "Run directory (tables.json, metrics*.jsonl, summary*.json, results*.jsonl or results/*.jsonl, also in subdirectories)."
  )
  var runDir: String
  @Option(help: "Output HTML file (default: RUN_DIR/report.html).") var out: String?
  @Option(help: "Sample trajectories per results file.") var samples = 1

  func run() throws {
    let dir = URL(fileURLWithPath: runDir)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
      throw ValidationError("\(runDir) is not a directory")
    }
    let data = HTMLReport.gather(dir, samplesPerFile: max(0, samples))
    let html = HTMLReport.render(data, title: "Recheck report — \(dir.lastPathComponent)")
    let path = out ?? dir.appendingPathComponent("report.html").path
    try AtomicFileWriter.write(Data(html.utf8), to: URL(fileURLWithPath: path))
    print(
      "wrote \(path): \(data.curves.count) metrics files, \(data.summaries.count) summaries, "
        + "\(data.tables.map { "\($0.score.count + $0.s2r.count) table rows, " } ?? "")\(data.samples.count) samples\(data.problems.isEmpty ? "" : ", \(data.problems.count) skipped")"
    )
  }
}
