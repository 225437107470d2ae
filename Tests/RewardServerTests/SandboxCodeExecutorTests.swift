import Foundation
import RewardServer
import Verifiers
import XCTest

/// The reward server's code routes run through the real sandbox.
final class SandboxCodeExecutorTests: XCTestCase {
  static let exec = try! SandboxCodeExecutor(checking: SandboxConfig())

  func testChecksAndRunsInTheSandbox() async {
    let exec = Self.exec
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
  }

  /// The cases: stdin reaches the program; SystemExit(3) comes back as 3, not 1.
  func testStdinExitCodesAndFilesReachSandboxFusionShape() async {
    let exec = Self.exec
    let echo = await exec.run(ProgramRun(code: "n = int(input())\nprint(n * n)\n", stdin: "12\n"))
    XCTAssertEqual(echo.status, .finished)
    XCTAssertEqual(echo.exitCode, 0)
    XCTAssertEqual(echo.stdout, "144\n")
    let three = await exec.run(ProgramRun(code: "raise SystemExit(3)\n"))
    XCTAssertEqual(three.exitCode, 3)
    XCTAssertEqual(RunCodeResponse(three).status, "Failed")
    XCTAssertEqual(RunCodeResponse(three).runResult?.returnCode, 3)
    let file = await exec.run(
      ProgramRun(code: "print(open('a.txt').read())\n", files: ["a.txt": Data("xyz".utf8)]))
    XCTAssertEqual(file.stdout, "xyz\n")
    let memory = await exec.run(ProgramRun(code: "x = bytearray(600 << 20)\n", memoryMB: 256))
    XCTAssertEqual(memory.status, .finished, "MemoryError is an uncaught exception, as in SandboxFusion")
    XCTAssertEqual(memory.exitCode, 1)
    XCTAssertTrue(memory.stderr.contains("MemoryError"), memory.stderr)
  }
}
