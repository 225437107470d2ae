import RewardServer
import XCTest

/// The reward server's code routes run through the real sandbox.
final class SandboxCodeExecutorTests: XCTestCase {
  func testChecksAndRunsInTheSandbox() async {
    let exec = SandboxCodeExecutor()
    let ok = await exec.check(
      program: "def f(x):\n    return x + 1\n", tests: "assert f(1) == 2\n", timeoutSeconds: 5)
    XCTAssertEqual(ok.verdict, .passed, ok.detail)
    let bad = await exec.check(
      program: "def f(x):\n    return x\n", tests: "assert f(1) == 2\n", timeoutSeconds: 5)
    XCTAssertEqual(bad.verdict, .failed)
    let run = await exec.run(ProgramRun(code: "print(6 * 7)\n", timeoutSeconds: 5))
    XCTAssertEqual(run.status, .finished)
    XCTAssertEqual(run.exitCode, 0)
    XCTAssertEqual(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "42")
    let loop = await exec.run(ProgramRun(code: "while True:\n    pass\n", timeoutSeconds: 1))
    XCTAssertEqual(loop.status, .timeLimitExceeded, loop.message)
    let stdin = await exec.run(ProgramRun(code: "print(input())\n", stdin: "x\n"))
    XCTAssertEqual(stdin.status, .sandboxError)
  }
}
