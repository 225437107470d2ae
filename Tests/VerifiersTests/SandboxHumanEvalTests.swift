import Foundation
import XCTest

@testable import Verifiers

/// All 164 HumanEval canonical solutions must pass in the sandbox, and mutated solutions must fail.
/// Data: Scripts/fetch-humaneval.sh (run by Scripts/test.sh) → ~/.cache/recheck/humaneval/HumanEval.jsonl.
final class SandboxHumanEvalTests: XCTestCase {
  struct Task: Decodable {
    let task_id: String
    let prompt: String
    let canonical_solution: String
    let test: String
    let entry_point: String

    func job(_ completion: String) -> SandboxJob {
      .humanEval(prompt: prompt, completion: completion, test: test, entryPoint: entry_point)
    }
  }

  static func loadTasks() throws -> [Task] {
    let path = FileManager.default.homeDirectoryForCurrentUser
      .appendingPathComponent(".cache/recheck/humaneval/HumanEval.jsonl").path
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      print(String(repeating: "!", count: 72))
      print("!!! HumanEval data missing at \(path): run Scripts/fetch-humaneval.sh. SKIPPING. !!!")
      print(String(repeating: "!", count: 72))
      throw XCTSkip("HumanEval.jsonl missing at \(path); run Scripts/fetch-humaneval.sh")
    }
    return try text.split(separator: "\n").map { try JSONDecoder().decode(Task.self, from: Data($0.utf8)) }
  }

  /// Mutations of a canonical solution that must break it.
  static func mutants(_ solution: String) -> [String: String] {
    var out: [String: String] = ["return None": "    return None\n"]
    // Off by one: the first integer literal in the solution, plus one.
    if let range = solution.range(of: #"(?<![\w.])\d+(?![\w.])"#, options: .regularExpression),
      let n = Int(solution[range])
    {
      out["off-by-one"] = solution.replacingCharacters(in: range, with: String(n + 1))
    }
    // Swapped comparison: the first `<` becomes `>` (or `>` becomes `<`).
    if let range = solution.range(of: #" (<|>)=? "#, options: .regularExpression) {
      let op = String(solution[range])
      let swapped =
        op.contains("<")
        ? op.replacingOccurrences(of: "<", with: ">") : op.replacingOccurrences(of: ">", with: "<")
      out["swapped comparison"] = solution.replacingCharacters(in: range, with: swapped)
    }
    // Dropped last line (usually the final return).
    let lines = solution.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let kept = lines.lastIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
    if let kept, kept > 0 {
      out["dropped last line"] = lines[..<kept].joined(separator: "\n") + "\n    pass\n"
    }
    return out
  }

  func testCanonicalSolutionsPassAndMutantsFail() async throws {
    let tasks = try Self.loadTasks()
    XCTAssertEqual(tasks.count, 164)
    let sandbox = Sandbox(config: SandboxConfig(limits: SandboxLimits(wallSeconds: 20, cpuSeconds: 10)))
    var jobs: [SandboxJob] = []
    var labels: [(task: String, mutation: String)] = []
    for task in tasks {
      jobs.append(task.job(task.canonical_solution))
      labels.append((task.task_id, "canonical"))
      for (kind, mutant) in Self.mutants(task.canonical_solution).sorted(by: { $0.key < $1.key }) {
        jobs.append(task.job(mutant))
        labels.append((task.task_id, kind))
      }
    }
    let start = Date()
    let results = await sandbox.runAll(jobs)
    let seconds = Date().timeIntervalSince(start)
    print("HumanEval: \(jobs.count) programs in \(String(format: "%.1f", seconds)) s")
    var failedByKind: [String: (failed: Int, total: Int)] = [:]
    var survivors: [String] = []
    for (label, result) in zip(labels, results) {
      if label.mutation == "canonical" {
        XCTAssertEqual(
          result.verdict, .passed, "\(label.task): \(result.detail) \(result.stderr.suffix(300))")
        continue
      }
      var entry = failedByKind[label.mutation] ?? (0, 0)
      entry.total += 1
      if result.verdict != .passed {
        entry.failed += 1
      } else {
        survivors.append("\(label.task) \(label.mutation)")
      }
      failedByKind[label.mutation] = entry
    }
    print("HumanEval mutants failed: \(failedByKind)\nsurviving mutants: \(survivors)")
    // `return None` and a dropped final line break every task; a changed literal or comparison can be
    // equivalent (e.g. an unused bound), so those only need to break nearly all.
    XCTAssertEqual(failedByKind["return None"]?.failed, 164)
    for (kind, counts) in failedByKind where kind != "return None" {
      XCTAssertGreaterThanOrEqual(Double(counts.failed) / Double(counts.total), 0.85, kind)
    }
  }
}
