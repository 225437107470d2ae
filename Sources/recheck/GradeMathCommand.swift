import ArgumentParser
import Foundation
import Verifiers

/// `recheck grade math --reference R --answer A [--json]` or `recheck grade math FILE.jsonl`.
/// File mode reads `{"reference": str, "answer": str, ...}` lines and writes, in order, each input
/// object plus `equivalent` and `rule`; a bad line becomes `{"error": "FILE:LINE: …"}`.
struct GradeMathCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "math", abstract: "Math answer equivalence (see Docs/grading.md).")

  @Argument(help: "JSONL file of {\"reference\", \"answer\"} objects.")
  var file: String?

  @Option(parsing: .unconditional, help: "Reference answer.")
  var reference: String?

  @Option(parsing: .unconditional, help: "Model answer.")
  var answer: String?

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func validate() throws {
    if file == nil && (reference == nil || answer == nil) {
      throw ValidationError("give FILE.jsonl, or both --reference and --answer")
    }
    if file != nil && (reference != nil || answer != nil) {
      throw ValidationError("give either FILE.jsonl or --reference/--answer, not both")
    }
  }

  func run() throws {
    if let file {
      try gradeFile(file)
      return
    }
    let v = MathGrader.equivalent(reference: reference ?? "", answer: answer ?? "")
    if json {
      print(Self.jsonLine(["equivalent": v.equivalent, "rule": v.rule]))
    } else {
      print("\(v.equivalent ? "equivalent" : "not equivalent") (rule: \(v.rule))")
    }
  }

  private func gradeFile(_ path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ValidationError("cannot read \(path)")
    }
    let text = String(decoding: data, as: UTF8.self)
    var out = ""
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
      out += Self.gradeLine(String(line), file: path, lineNumber: n + 1) + "\n"
      if out.utf8.count > 1 << 16 {
        FileHandle.standardOutput.write(Data(out.utf8))
        out = ""
      }
    }
    FileHandle.standardOutput.write(Data(out.utf8))
  }

  static func gradeLine(_ line: String, file: String, lineNumber: Int) -> String {
    guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)), var dict = obj as? [String: Any]
    else { return jsonLine(["error": "\(file):\(lineNumber): not a JSON object"]) }
    guard let ref = dict["reference"] as? String, let ans = dict["answer"] as? String else {
      return jsonLine(["error": "\(file):\(lineNumber): needs string fields \"reference\" and \"answer\""])
    }
    let v = MathGrader.equivalent(reference: ref, answer: ans)
    dict["equivalent"] = v.equivalent
    dict["rule"] = v.rule
    return jsonLine(dict)
  }

  static func jsonLine(_ dict: [String: Any]) -> String {
    guard
      let d = try? JSONSerialization.data(
        withJSONObject: dict, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return "{\"error\": \"unencodable\"}" }
    return String(decoding: d, as: UTF8.self)
  }
}
