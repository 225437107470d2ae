import ArgumentParser
import Foundation
import Verifiers

/// `recheck grade code FILE.jsonl`: runs each line's program in the sandbox and writes the line back
/// with `verdict` and `detail` added (stdout, input order); a summary goes to stderr.
/// Lines: `{"program"}`, HumanEval `{"prompt","completion","test","entry_point"}` or MBPP
/// `{"code","test_list"}` (optional `test_setup_code`).
struct GradeCodeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "code", abstract: "Grade Python programs in the sandbox (program, HumanEval or MBPP lines).")

  @Argument(help: "JSONL file of programs.") var file: String
  @Option(help: "Programs run at once (default: cores).") var concurrency: Int?
  @Option(help: "Wall-clock limit per program, seconds.") var timeout: Double = 10
  @Option(help: "Memory limit per program, MiB.") var memoryMB: Int = 1024
  @Option(help: "Python interpreter (must be readable by the sandbox user).") var python = "/usr/bin/python3"

  func run() async throws {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
      throw ValidationError("cannot read \(file)")
    }
    var config = SandboxConfig(python: python)
    if let concurrency { config.concurrency = max(1, concurrency) }
    config.limits.wallSeconds = timeout
    config.limits.cpuSeconds = max(1, Int(timeout.rounded(.up)))
    config.limits.memoryBytes = memoryMB << 20
    let sandbox = try Sandbox.checked(config: config)  // refuses an interpreter the sandbox user cannot run
    FileHandle.standardError.write(Data("sandbox:\n\(sandbox.capabilities.summary)\n".utf8))

    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      .filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
    var parsed: [Result<([String: Any], SandboxJob), GradeLineError>] = []
    for (index, line) in lines {
      parsed.append(
        Result { try Self.parse(String(line), file: file, lineNumber: index + 1) }.mapError {
          $0 as! GradeLineError
        })
    }
    let jobs = parsed.compactMap { try? $0.get().1 }
    let results = await sandbox.runAll(jobs)
    var next = results.makeIterator()
    var counts: [SandboxVerdict: Int] = [:]
    var badLines = 0
    for entry in parsed {
      var object: [String: Any]
      switch entry {
      case .success(let (fields, _)):
        let result = next.next()!
        object = fields
        object["verdict"] = result.verdict.rawValue
        object["detail"] = result.detail
        counts[result.verdict, default: 0] += 1
      case .failure(let error):
        object = ["error": error.message]
        badLines += 1
      }
      let data = try JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
      print(String(decoding: data, as: UTF8.self))
    }
    let graded = jobs.count
    let passed = counts[.passed, default: 0]
    let rate = graded > 0 ? Double(passed) / Double(graded) : 0
    let breakdown = SandboxVerdict.allCases.map { "\($0.rawValue) \(counts[$0, default: 0])" }.joined(
      separator: ", ")
    FileHandle.standardError.write(
      Data(
        "graded \(graded) programs: pass rate \(String(format: "%.4f", rate)) (\(breakdown)); bad lines \(badLines)\n"
          .utf8))
  }

  struct GradeLineError: Error { let message: String }

  static func parse(_ line: String, file: String, lineNumber: Int) throws -> ([String: Any], SandboxJob) {
    func fail(_ why: String) -> GradeLineError { GradeLineError(message: "\(file):\(lineNumber): \(why)") }
    guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
      throw fail("not a JSON object")
    }
    if let program = object["program"] as? String { return (object, .program(program)) }
    if let prompt = object["prompt"] as? String, let completion = object["completion"] as? String,
      let test = object["test"] as? String, let entry = object["entry_point"] as? String
    {
      return (object, .humanEval(prompt: prompt, completion: completion, test: test, entryPoint: entry))
    }
    if let code = object["code"] as? String, let tests = object["test_list"] as? [String] {
      return (object, .mbpp(code: code, testList: tests, setup: object["test_setup_code"] as? String ?? ""))
    }
    throw fail(
      "expected \"program\", HumanEval \"prompt\"/\"completion\"/\"test\"/\"entry_point\", or MBPP \"code\"/\"test_list\" (strings)"
    )
  }
}
