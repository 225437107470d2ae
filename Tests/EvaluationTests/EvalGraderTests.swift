import Datasets
import Foundation
import Rollouts
import Verifiers
import XCTest

@testable import Evaluation

final class EvalGraderTests: XCTestCase {
  func testMathUsesMinervaPhraseThenBox() async throws {
    let item = mathItem(0, question: "q", answer: "\\frac{1}{2}")
    let g = EvalGrader()
    let minerva = try await g.grade(
      item, response: "Final Answer: The final answer is $0.5$. I hope it is correct.")
    XCTAssertEqual(minerva, EvalGrade(correct: true, extracted: "0.5", detail: "rational"))
    let boxed = try await g.grade(item, response: "so \\boxed{\\frac12}")
    XCTAssertTrue(boxed.correct)
    let wrong = try await g.grade(item, response: "\\boxed{2}")
    XCTAssertEqual(wrong.correct, false)
    XCTAssertEqual(wrong.extracted, "2")
  }

  func testSyntheticGradesWithSyntheticFormat() async throws {
    let root = temporaryDirectory("grader-synth")
    let path = root.appendingPathComponent("s.jsonl").path
    let problems = SyntheticDatasetFile.generate(SyntheticDatasetConfig(count: 2, seed: 4))
    try SyntheticDatasetFile.jsonl(problems).write(toFile: path, atomically: true, encoding: .utf8)
    let items = try EvalDataset.load(path, limit: 1)
    XCTAssertEqual(items.count, 1)
    XCTAssertEqual(items[0].synthetic, problems[0])
    let right = try await EvalGrader().grade(items[0], response: SyntheticTask.solution(for: problems[0]))
    XCTAssertEqual(right, EvalGrade(correct: true, extracted: String(problems[0].answer), detail: nil))
    let wrong = try await EvalGrader().grade(items[0], response: "\\boxed{\(problems[0].answer + 1)}")
    XCTAssertFalse(wrong.correct)
  }

  func testDuplicateIDsAreRejected() throws {
    let root = temporaryDirectory("grader-dup")
    let path = root.appendingPathComponent("d.jsonl").path
    try
      "{\"id\":\"a\",\"problem\":\"1+1\",\"answer\":\"2\"}\n{\"id\":\"a\",\"problem\":\"2+2\",\"answer\":\"4\"}\n"
      .write(toFile: path, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try EvalDataset.load(path)) {
      XCTAssertEqual($0 as? EvalError, .duplicateID(file: path, id: "a"))
    }
  }

  func testCodeExtraction() {
    XCTAssertEqual(
      EvalCodeExtractor.program(from: "Here:\n```python\ndef f():\n    return 1\n```\nDone."),
      "def f():\n    return 1\n")
    XCTAssertEqual(EvalCodeExtractor.program(from: "    return x + 1\n"), "    return x + 1\n")
    XCTAssertEqual(EvalCodeExtractor.program(from: "def g(): pass\n[DONE]"), "def g(): pass\n")
    XCTAssertEqual(EvalCodeExtractor.program(from: "```\nx = 1"), "x = 1")
  }

  func testMBPPRunsInTheSandbox() async throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
      throw XCTSkip("no /usr/bin/python3 for the sandbox")
    }
    let item = EvalItem(
      index: 0,
      problem: Problem(
        id: "m1", prompt: "Write add(a, b).", kind: .code,
        reference: .mbpp(testList: ["assert add(2, 3) == 5"], setup: ""),
        source: "mbpp"), task: .mbpp)
    var config = SandboxConfig(concurrency: 1)
    config.limits.wallSeconds = 5
    let grader = EvalGrader(sandbox: Sandbox(config: config))
    let right = try await grader.grade(item, response: "```python\ndef add(a, b):\n    return a + b\n```")
    XCTAssertTrue(right.correct, right.detail ?? "")
    let wrong = try await grader.grade(item, response: "def add(a, b):\n    return a - b\n")
    XCTAssertFalse(wrong.correct)
    XCTAssertTrue(wrong.detail?.hasPrefix("failed") ?? false, wrong.detail ?? "")
    do {
      _ = try await EvalGrader().grade(item, response: "x")
      XCTFail("a code problem needs a sandbox")
    } catch let e as EvalError {
      XCTAssertEqual(e, .needsSandbox(id: "m1"))
    }
  }
}
