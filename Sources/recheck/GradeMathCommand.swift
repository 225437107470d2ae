import ArgumentParser
import Foundation
import Verifiers

/// `recheck grade math --reference R --answer A [--json]` or `recheck grade math FILE.jsonl [--summary]`.
/// Both sides go through `MathGrader.grade` (extraction, then equivalence; Docs/grading.md). File
/// mode reads `{"reference": str, "answer": str, ...}` lines and writes, in order, each input object
/// plus `equivalent`, `rule`, `extracted_reference` and `extracted_answer`; with `--summary` it prints
/// counts by rule and by extraction source instead. A malformed line is reported as `FILE:LINE: …`
/// (on stderr, and as an `{"error"}` line in place of its result), the run goes on, and the exit
/// status is 1 at the end.
struct GradeMathCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "math", abstract: "Math answer equivalence (see Docs/grading.md).")

  @Argument(help: "JSONL file of {\"reference\", \"answer\"} objects.")
  var file: String?

  @Option(parsing: .unconditional, help: "Reference: an answer or a worked solution.")
  var reference: String?

  @Option(parsing: .unconditional, help: "Model response: an answer or a worked solution.")
  var answer: String?

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @Flag(help: "File mode: print counts by rule and extraction source instead of one line per pair.")
  var summary = false

  func validate() throws {
    if file == nil && (reference == nil || answer == nil) {
      throw ValidationError("give FILE.jsonl, or both --reference and --answer")
    }
    if file != nil && (reference != nil || answer != nil) {
      throw ValidationError("give either FILE.jsonl or --reference/--answer, not both")
    }
    if summary && file == nil { throw ValidationError("--summary needs FILE.jsonl") }
  }

  func run() throws {
    if let file {
      let malformed = try gradeFile(file).malformed
      if malformed > 0 {
        FileHandle.standardError.write(Data("\(file): \(malformed) malformed line(s)\n".utf8))
        throw ExitCode(1)
      }
      return
    }
    let g = MathGrader.grade(reference: reference ?? "", response: answer ?? "")
    if json {
      print(Self.jsonLine(Self.fields(g)))
    } else {
      print("\(g.equivalent ? "equivalent" : "not equivalent") (rule: \(g.rule))")
      print("extracted reference: \(g.extractedReference ?? "none")")
      print("extracted answer:    \(g.extractedAnswer ?? "none")")
    }
  }

  /// The six output fields; `extracted_*` are JSON null when nothing was extracted.
  static func fields(_ g: MathGrade) -> [String: Any] {
    [
      "reference": g.reference, "answer": g.answer, "equivalent": g.equivalent, "rule": g.rule,
      "extracted_reference": g.extractedReference ?? NSNull(),
      "extracted_answer": g.extractedAnswer ?? NSNull(),
    ]
  }

  /// Grades every line (printing results, or the summary with `--summary`); returns the counts.
  func gradeFile(_ path: String) throws -> GradeMathSummary {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ValidationError("cannot read \(path)")
    }
    let text = String(decoding: data, as: UTF8.self)
    var out = ""
    var tally = GradeMathSummary()
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
      switch Self.gradeLine(String(line), file: path, lineNumber: n + 1) {
      case .success(let (dict, g)):
        tally.add(g)
        if !summary { out += Self.jsonLine(dict) + "\n" }
      case .failure(let e):
        tally.malformed += 1
        FileHandle.standardError.write(Data((e.message + "\n").utf8))
        if !summary { out += Self.jsonLine(["error": e.message]) + "\n" }
      }
      if out.utf8.count > 1 << 16 {
        FileHandle.standardOutput.write(Data(out.utf8))
        out = ""
      }
    }
    FileHandle.standardOutput.write(Data(out.utf8))
    if summary { print(tally.report(), terminator: "") }
    return tally
  }

  struct LineError: Error {
    var message: String
  }

  static func gradeLine(_ line: String, file: String, lineNumber: Int) -> Result<
    ([String: Any], MathGrade), LineError
  > {
    guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)), var dict = obj as? [String: Any]
    else { return .failure(LineError(message: "\(file):\(lineNumber): not a JSON object")) }
    guard let ref = dict["reference"] as? String, let ans = dict["answer"] as? String else {
      return .failure(
        LineError(message: "\(file):\(lineNumber): needs string fields \"reference\" and \"answer\""))
    }
    let g = MathGrader.grade(reference: ref, response: ans)
    dict.merge(fields(g)) { $1 }
    return .success((dict, g))
  }

  static func jsonLine(_ dict: [String: Any]) -> String {
    guard
      let d = try? JSONSerialization.data(
        withJSONObject: dict, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return "{\"error\": \"unencodable\"}" }
    return String(decoding: d, as: UTF8.self)
  }
}
