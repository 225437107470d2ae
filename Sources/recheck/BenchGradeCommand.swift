import ArgumentParser
import Foundation
import Verifiers

/// `recheck bench grade [--pairs FILE.jsonl] [--peer]`: math grading throughput (pairs/s) over the
/// answer-pair corpus, through `MathGrader.grade` (extraction of both sides, then equivalence); with `--peer` also HuggingFace math-verify on the same pairs, measured in
/// the same run by Scripts/bench-math-verify.py, and the ratio.
struct BenchGradeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "grade", abstract: "Math answer-equivalence throughput vs math-verify.")

  @Option(help: "JSONL of {\"reference\", \"answer\"} pairs.")
  var pairs = "Tests/VerifiersTests/Fixtures/math-pairs.jsonl"

  @Option(help: "Passes over the corpus.")
  var repeats = 20

  @Flag(help: "Also run math-verify (Python venv, see Scripts/bench-math-verify.py).")
  var peer = false

  @Option(help: "Python interpreter with math-verify installed.")
  var python = "\(NSHomeDirectory())/.cache/recheck/venv-mathverify/bin/python"

  func run() throws {
    guard let data = FileManager.default.contents(atPath: pairs) else {
      throw ValidationError("cannot read \(pairs)")
    }
    var list: [(String, String)] = []
    for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
      guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let r = o["reference"] as? String, let a = o["answer"] as? String
      else { throw ValidationError("\(pairs):\(n + 1): needs string fields \"reference\" and \"answer\"") }
      list.append((r, a))
    }
    guard !list.isEmpty else { throw ValidationError("\(pairs): no pairs") }
    var hits = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<max(1, repeats) {
      for (r, a) in list where MathGrader.grade(reference: r, response: a).equivalent { hits += 1 }
    }
    let secs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let rate = Double(list.count * max(1, repeats)) / secs
    print(
      String(
        format: "recheck math grader: %.0f pairs/s (%d pairs × %d passes, %d equivalent per pass)",
        rate, list.count, max(1, repeats), hits / max(1, repeats)))
    guard peer else { return }
    let proc = Process()
    proc.executableURL = URL(fileURLWithPath: python)
    proc.arguments = ["Scripts/bench-math-verify.py", pairs]
    let pipe = Pipe()
    proc.standardOutput = pipe
    try proc.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    proc.waitUntilExit()
    let text = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard proc.terminationStatus == 0, let peerRate = Double(text.split(separator: " ").first ?? "") else {
      throw ValidationError("peer benchmark failed (status \(proc.terminationStatus)): \(text)")
    }
    print(String(format: "math-verify (peer):   %.0f pairs/s", peerRate))
    print(String(format: "ratio: %.1f× faster", rate / peerRate))
  }
}
