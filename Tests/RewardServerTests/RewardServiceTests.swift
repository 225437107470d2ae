import Foundation
import XCTest

@testable import RewardServer

/// A scripted executor: records what it was asked to run and answers from a table. Stands in for
/// the confined sandbox so that the server's own logic (test assembly, status mapping, limits) is
/// checked here; the sandbox has its own tests in Verifiers.
final class ScriptedExecutor: CodeExecutor, @unchecked Sendable {
  private let lock = NSLock()
  private var checks: [(program: String, tests: String)] = []
  private var inFlight = 0
  private(set) var maxInFlight = 0
  let checkAnswer: @Sendable (String, String) -> TestOutcome
  let runAnswer: @Sendable (ProgramRun) -> ProgramOutcome
  let delay: Duration

  init(
    delay: Duration = .zero,
    check: @escaping @Sendable (String, String) -> TestOutcome = { _, _ in .init(verdict: .passed) },
    run: @escaping @Sendable (ProgramRun) -> ProgramOutcome = { _ in .init(status: .finished, exitCode: 0) }
  ) {
    self.delay = delay
    self.checkAnswer = check
    self.runAnswer = run
  }

  var recordedChecks: [(program: String, tests: String)] { lock.withLock { checks } }

  func run(_ program: ProgramRun) async -> ProgramOutcome {
    enter()
    if delay > .zero { try? await Task.sleep(for: delay) }
    leave()
    return runAnswer(program)
  }

  func check(program: String, tests: String, timeoutSeconds: Double) async -> TestOutcome {
    lock.withLock { checks.append((program, tests)) }
    enter()
    if delay > .zero { try? await Task.sleep(for: delay) }
    leave()
    return checkAnswer(program, tests)
  }

  private func enter() {
    lock.withLock {
      inFlight += 1
      maxInFlight = max(maxInFlight, inFlight)
    }
  }

  private func leave() { lock.withLock { inFlight -= 1 } }
}

final class RewardServiceTests: XCTestCase {
  func json(_ reply: ServiceReply) throws -> [String: Any] {
    try XCTUnwrap(JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
  }

  func body(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

  func testGetRewardGradesTheResponseNotThePrompt() async throws {
    let service = RewardService()
    // The prompt holds a box with the right answer: only the response after it may count.
    let prompt = "Example: \\boxed{19}. Now solve: 10 + 9 = ?"
    let request: [String: Any] = [
      "query": [
        prompt + " It is \\boxed{19}.", prompt + " It is \\boxed{20}.", "no prompt prefix \\boxed{0.5}",
      ],
      "prompts": [prompt, prompt, "something else"],
      "labels": [#"{"task": "math", "answer": "19"}"#, "19", #"{"answer": "\\frac{1}{2}"}"#],
    ]
    let reply = await service.handle(.getReward, body: try body(request))
    XCTAssertEqual(reply.status, 200, String(decoding: reply.body, as: UTF8.self))
    let out = try JSONDecoder().decode(GetRewardResponse.self, from: reply.body)
    XCTAssertEqual(out.rewards, [1, 0, 1])
    XCTAssertEqual(out.scores, [1, 0, 1])
    XCTAssertEqual(out.extraLogs["format_ok"], [1, 1, 1])
    XCTAssertEqual(out.extraLogs["extract_ok"], [1, 1, 1])
  }

  func testGetRewardAcceptsEmptyListsAndShapesWithR1() async throws {
    let service = RewardService()
    let empty = await service.handle(
      .getReward, body: Data(#"{"query": [], "prompts": [], "labels": []}"#.utf8))
    XCTAssertEqual(empty.status, 200)
    XCTAssertEqual(try JSONDecoder().decode(GetRewardResponse.self, from: empty.body).rewards, [])
    let shaped: [String: Any] = [
      "query": ["Q: A: \\boxed{4}", "Q: A: \\boxed{5}"], "prompts": ["Q: ", "Q: "],
      "labels": [#"{"answer": "4", "r1": 0, "shaping": 10}"#, #"{"answer": "4", "r1": 1, "shaping": 10}"#],
    ]
    let out = try JSONDecoder().decode(
      GetRewardResponse.self, from: await service.handle(.getReward, body: try body(shaped)).body)
    XCTAssertEqual(out.rewards, [11, -10])  // 1 + 10·(1 − 0), 0 + 10·(0 − 1)
    XCTAssertEqual(out.scores, [1, 0])
  }

  func testBadInputGets4xxWithAMessage() async throws {
    let service = RewardService()
    let cases: [(String, Int, String)] = [
      (#"{"query": ["a"], "prompts": ["a"], "labels": ["1"]"#, 400, "invalid JSON"),
      (#"{"query": "a", "prompts": [], "labels": []}"#, 400, "query"),
      (#"{"query": ["a", "b"], "prompts": ["a"], "labels": ["1", "2"]}"#, 400, "equal lengths"),
      (#"{"query": ["a"], "labels": ["{\"task\": \"chess\"}"]}"#, 400, "unknown task"),
      (#"{"query": ["a"], "labels": ["{\"task\": \"math\"}"]}"#, 400, "needs \"answer\""),
      (#"{"items": [{"task": "math", "answer": "1"}]}"#, 400, "response"),
      ("", 400, "invalid JSON"),
    ]
    for (text, status, fragment) in cases {
      let route: RewardService.Route = text.contains("items") ? .verify : .getReward
      let reply = await service.handle(route, body: Data(text.utf8))
      XCTAssertEqual(reply.status, status, text)
      let message = try XCTUnwrap(try json(reply)["error"] as? String)
      XCTAssertTrue(message.contains(fragment), "\(text) → \(message)")
    }
    let big = await RewardService(config: RewardServerConfig(maxBodyBytes: 100)).handle(
      .verify, body: Data(repeating: 32, count: 101))
    XCTAssertEqual(big.status, 413)
  }

  func testVerifyReturnsVerdictsWithRulesAndIDs() async throws {
    let service = RewardService()
    let request: [String: Any] = [
      "items": [
        ["id": "a", "task": "math", "response": "so \\boxed{\\frac{1}{2}}", "answer": "0.5"],
        ["id": 7, "response": "The final answer is $[1,2)$. I hope it is correct.", "reference": "[1,2]"],
        ["id": "c", "response": "I do not know", "answer": "3"],
      ]
    ]
    let reply = await service.handle(.verify, body: try body(request))
    XCTAssertEqual(reply.status, 200)
    let out = try JSONDecoder().decode(VerifyResponse.self, from: reply.body)
    XCTAssertEqual(out.results.map(\.id), ["a", "7", "c"])
    XCTAssertEqual(out.results.map(\.correct), [true, false, false])
    XCTAssertEqual(out.results[0].rule, "rational")
    XCTAssertEqual(out.results[0].extracted, "\\frac{1}{2}")
    XCTAssertEqual(out.results[1].extracted, "[1,2)")
    XCTAssertEqual(out.results[2].rule, "no-answer")
    XCTAssertEqual(out.results[2].detail["extract_ok"], false)
    let metrics = service.metrics.render()
    XCTAssertTrue(
      metrics.contains(#"recheck_verdicts_total{task="math",rule="rational",correct="true"} 1"#), metrics)
    XCTAssertTrue(metrics.contains(#"recheck_requests_total{route="verify",status="200"} 1"#), metrics)
  }

  func testCodeRoutesAnswer503WithoutASandbox() async throws {
    let service = RewardService()
    let run = await service.handle(.runCode, body: Data(#"{"code": "print(1)", "language": "python"}"#.utf8))
    XCTAssertEqual(run.status, 503)
    XCTAssertEqual(try json(run)["error"] as? String, "code sandbox not available")
    let verify = await service.handle(
      .verify, body: Data(#"{"items": [{"task": "mbpp", "response": "x", "tests": ["assert True"]}]}"#.utf8))
    XCTAssertEqual(verify.status, 503)
  }

  func testCodeTasksAssembleTestsAndMapVerdicts() async throws {
    let executor = ScriptedExecutor(check: { program, _ in
      .init(verdict: program.contains("return a + b") ? .passed : .timeout)
    })
    let service = RewardService(executor: executor)
    let request: [String: Any] = [
      "items": [
        [
          "task": "mbpp", "response": "[BEGIN]\ndef add(a, b):\n    return a + b\n[DONE]",
          "tests": ["assert add(1, 2) == 3", "assert add(0, 0) == 0"], "setup": "import math",
        ],
        [
          "task": "humaneval", "response": "```python\n    while True: pass\n```",
          "prefix": "def add(a, b):\n",
          "tests": ["def check(candidate):\n    assert candidate(2, 2) == 4"], "entry_point": "add",
        ],
      ]
    ]
    let reply = await service.handle(.verify, body: try body(request))
    XCTAssertEqual(reply.status, 200, String(decoding: reply.body, as: UTF8.self))
    let out = try JSONDecoder().decode(VerifyResponse.self, from: reply.body)
    XCTAssertEqual(out.results.map(\.correct), [true, false])
    XCTAssertEqual(out.results.map(\.rule), ["passed", "timeout"])
    XCTAssertEqual(out.results[1].detail["timeout"], true)
    let checks = executor.recordedChecks
    XCTAssertEqual(checks.count, 2)
    XCTAssertEqual(checks[0].program, "\ndef add(a, b):\n    return a + b\n")
    XCTAssertEqual(checks[0].tests, "import math\nassert add(1, 2) == 3\nassert add(0, 0) == 0\n")
    XCTAssertEqual(checks[1].program, "def add(a, b):\n    while True: pass\n")
    XCTAssertEqual(checks[1].tests, "def check(candidate):\n    assert candidate(2, 2) == 4\n\ncheck(add)\n")
    // An entry point that is not an identifier never reaches the executor.
    let bad = await service.handle(
      .verify,
      body: try body([
        "items": [["task": "humaneval", "response": "x", "tests": ["t"], "entry_point": "f); import os"]]
      ]))
    XCTAssertEqual(bad.status, 400)
  }

  func testRunCodeMapsOutcomesToSandboxFusionShapes() async throws {
    let executor = ScriptedExecutor(run: { run in
      switch run.code {
      case "ok": return .init(status: .finished, exitCode: 0, stdout: run.stdin.uppercased(), seconds: 0.25)
      case "fail": return .init(status: .finished, exitCode: 1, stderr: "Traceback", seconds: 0.1)
      case "slow": return .init(status: .timeLimitExceeded, exitCode: nil, seconds: run.timeoutSeconds)
      default: return .init(status: .sandboxError, exitCode: nil, message: "could not start")
      }
    })
    let service = RewardService(config: RewardServerConfig(maxRunTimeoutSeconds: 5), executor: executor)
    func call(_ code: String, extra: [String: Any] = [:]) async throws -> [String: Any] {
      var req: [String: Any] = ["code": code, "language": "python", "stdin": "hi", "run_timeout": 100]
      req.merge(extra) { $1 }
      let reply = await service.handle(.runCode, body: try body(req))
      XCTAssertEqual(reply.status, 200)
      return try json(reply)
    }
    let ok = try await call("ok")
    XCTAssertEqual(ok["status"] as? String, "Success")
    let run = try XCTUnwrap(ok["run_result"] as? [String: Any])
    XCTAssertEqual(run["status"] as? String, "Finished")
    XCTAssertEqual(run["return_code"] as? Int, 0)
    XCTAssertEqual(run["stdout"] as? String, "HI")
    let fail = try await call("fail")
    XCTAssertEqual(fail["status"] as? String, "Failed")
    let slow = try await call("slow")
    XCTAssertEqual(slow["status"] as? String, "Failed")
    XCTAssertEqual((slow["run_result"] as? [String: Any])?["status"] as? String, "TimeLimitExceeded")
    XCTAssertEqual((slow["run_result"] as? [String: Any])?["execution_time"] as? Double, 5)  // capped
    let boom = try await call("boom")
    XCTAssertEqual(boom["status"] as? String, "SandboxError")
  }

  /// Bad `/run_code` input gets a 4xx whose message names the field; nothing reaches the executor.
  func testRunCodeRefusesBadFieldsByName() async throws {
    let executor = ScriptedExecutor()
    let service = RewardService(config: RewardServerConfig(maxStdinBytes: 10), executor: executor)
    let cases: [(String, Int, String)] = [
      (#"{"code": "int main(){}", "language": "cpp"}"#, 400, "language: \"cpp\""),
      (#"{"code": "x", "stdin": "01234567890"}"#, 413, "stdin: 11 bytes"),
      (#"{"code": "x", "timeout": 3}"#, 400, "timeout: unknown field"),
      (#"{"code": "x", "fetch_files": ["out.txt"]}"#, 400, "fetch_files"),
      (#"{"code": "x", "files": {"../a": "eA=="}}"#, 400, "files[\"../a\"]"),
      (#"{"code": "x", "files": {"a": "not base64!"}}"#, 400, "files[\"a\"]: contents are not valid base64"),
      (#"{"code": "x", "run_timeout": -1}"#, 400, "run_timeout"),
      (#"{"code": 5}"#, 400, "code"),
      (#"{"language": "python"}"#, 400, "code: required key is missing"),
    ]
    for (body, status, fragment) in cases {
      let reply = await service.handle(.runCode, body: Data(body.utf8))
      XCTAssertEqual(reply.status, status, body)
      let message = try json(reply)["error"] as? String ?? ""
      XCTAssertTrue(message.contains(fragment), "\(body) → \(message)")
    }
    XCTAssertEqual(executor.maxInFlight, 0, "no bad request may reach the executor")
    let ok = await service.handle(.runCode, body: Data(#"{"code": "ok", "stdin": "0123456789"}"#.utf8))
    XCTAssertEqual(ok.status, 200, "the server keeps serving")
  }

  /// verl's exact payload (`call_sandbox_api`): every field it sends is accepted, files are decoded.
  func testRunCodeAcceptsVerlsPayloadAndFiles() async throws {
    let seen = SeenRuns()
    let executor = ScriptedExecutor(run: { run in
      seen.append(run)
      return .init(status: .finished, exitCode: 3)
    })
    let service = RewardService(config: RewardServerConfig(), executor: executor)
    let body = try body([
      "compile_timeout": 10, "run_timeout": 4, "code": "import sys; sys.exit(3)", "stdin": NSNull(),
      "memory_limit_MB": 1024, "language": "python", "files": ["in/a.txt": "eA=="], "fetch_files": [],
    ])
    let reply = await service.handle(.runCode, body: body)
    XCTAssertEqual(reply.status, 200)
    let answer = try json(reply)
    XCTAssertEqual(answer["status"] as? String, "Failed")
    XCTAssertEqual((answer["run_result"] as? [String: Any])?["return_code"] as? Int, 3)
    let run = try XCTUnwrap(seen.runs.first)
    XCTAssertEqual(run.stdin, "")
    XCTAssertEqual(run.timeoutSeconds, 4)
    XCTAssertEqual(run.memoryMB, 1024)
    XCTAssertEqual(run.files, ["in/a.txt": Data("x".utf8)])
  }

  func testCodeConcurrencyIsBounded() async throws {
    let executor = ScriptedExecutor(delay: .milliseconds(30))
    let service = RewardService(config: RewardServerConfig(codeConcurrency: 3), executor: executor)
    await withTaskGroup(of: Int.self) { group in
      for _ in 0..<12 {
        group.addTask { await service.handle(.runCode, body: Data(#"{"code": "ok"}"#.utf8)).status }
      }
      for await status in group { XCTAssertEqual(status, 200) }
    }
    XCTAssertEqual(executor.maxInFlight, 3)
  }

  func testSlowRequestsTimeOutWith504() async throws {
    let executor = ScriptedExecutor(delay: .seconds(2))
    let service = RewardService(config: RewardServerConfig(requestTimeoutSeconds: 0.2), executor: executor)
    let start = ContinuousClock.now
    let reply = await service.handle(.runCode, body: Data(#"{"code": "ok"}"#.utf8))
    XCTAssertEqual(reply.status, 504)
    XCTAssertLessThan(ContinuousClock.now - start, .seconds(1.5))
  }
}

final class SeenRuns: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [ProgramRun] = []
  func append(_ run: ProgramRun) { lock.withLock { list.append(run) } }
  var runs: [ProgramRun] { lock.withLock { list } }
}
