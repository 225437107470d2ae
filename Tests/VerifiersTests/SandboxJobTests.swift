import Foundation
import XCTest

@testable import Verifiers

/// Script mode (SandboxFusion's `/run_code`): stdin, files, and exit codes as Python itself gives them.
/// Expected codes and streams are what `python3 file.py` does with the same program (checked by hand).
final class SandboxJobTests: XCTestCase {
  static let sandbox = Sandbox(
    config: SandboxConfig(
      limits: SandboxLimits(wallSeconds: 6, cpuSeconds: 2, memoryBytes: 512 << 20, outputBytes: 64 << 10)))

  func run(_ job: SandboxJob) -> SandboxResult { Self.sandbox.runBlocking(job) }

  func testStdinReachesTheProgram() {
    let r = run(
      .script("import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n", stdin: "2 40\n"))
    XCTAssertEqual(r.verdict, .passed, r.detail + r.stderr)
    XCTAssertEqual(r.exitCode, 0)
    XCTAssertEqual(r.stdout, "42\n")
    let lines = run(.script("print(input()[::-1])\nprint(input())\n", stdin: "abc\nxyz"))
    XCTAssertEqual(lines.stdout, "cba\nxyz\n")
    let empty = run(.script("import sys\nprint(repr(sys.stdin.read()))\n"))
    XCTAssertEqual(empty.stdout, "''\n")
  }

  func testExitCodesAreThoseThePythonProgramGives() {
    let cases: [(String, Int)] = [
      ("raise SystemExit(3)\n", 3), ("import sys\nsys.exit(0)\n", 0), ("import sys\nsys.exit()\n", 0),
      ("import sys\nsys.exit(256 + 7)\n", 7), ("import sys\nsys.exit(-1)\n", 255), ("exit(True)\n", 1),
      ("raise ValueError('bad')\n", 1), ("import os\nos._exit(9)\n", 9), ("x = 1\n", 0),
    ]
    for (program, code) in cases {
      let r = run(.script(program))
      XCTAssertEqual(r.exitCode, code, program + r.stderr)
      XCTAssertEqual(r.verdict, code == 0 ? .passed : .failed, program)
    }
  }

  func testUncaughtExceptionPrintsAPythonTraceback() {
    let r = run(.script("print('before')\ndef f():\n    return 1 / 0\nf()\n"))
    XCTAssertEqual(r.exitCode, 1)
    XCTAssertEqual(r.stdout, "before\n")
    XCTAssertTrue(r.stderr.hasPrefix("Traceback (most recent call last):\n"), r.stderr)
    XCTAssertTrue(r.stderr.contains("File \"<program>\", line 4, in <module>"), r.stderr)
    XCTAssertTrue(r.stderr.contains("return 1 / 0"), r.stderr)
    XCTAssertTrue(r.stderr.hasSuffix("ZeroDivisionError: division by zero\n"), r.stderr)
    XCTAssertFalse(r.stderr.contains("_script"), "the harness's frame must not show: \(r.stderr)")
    let message = run(.script("import sys\nsys.exit('no input')\n"))
    XCTAssertEqual(message.exitCode, 1)
    XCTAssertEqual(message.stderr, "no input\n")
    let syntax = run(.script("def f(:\n"))
    XCTAssertEqual(syntax.exitCode, 1)
    XCTAssertTrue(syntax.stderr.contains("SyntaxError"), syntax.stderr)
  }

  func testFilesArePlacedInTheWorkDir() {
    let r = run(
      .script(
        "print(open('data/in.txt').read().strip(), open('x.bin', 'rb').read())\n",
        files: ["data/in.txt": Data("hello\n".utf8), "x.bin": Data([0, 255])]))
    XCTAssertEqual(r.verdict, .passed, r.stderr)
    XCTAssertEqual(r.stdout, "hello b'\\x00\\xff'\n")
    for bad in ["../escape", "/etc/passwd", "a//b", "./x", ""] {
      XCTAssertNotNil(SandboxJob.problem(withFilePath: bad), bad)
      let refused = run(.script("print(1)\n", files: [bad: Data("x".utf8)]))
      XCTAssertEqual(refused.verdict, .error, bad)
      XCTAssertNil(refused.exitCode)
    }
  }

  func testLimitsStillHoldInScriptMode() {
    let loop = run(.script("while True:\n    pass\n", limits: SandboxLimits(wallSeconds: 1.5, cpuSeconds: 1)))
    XCTAssertEqual(loop.verdict, .timeout, loop.detail)
    XCTAssertNil(loop.exitCode)
    let hog = run(.script("x = bytearray(800 << 20)\n"))
    XCTAssertEqual(hog.verdict, .memory, hog.detail)
    XCTAssertEqual(hog.exitCode, 1)
    XCTAssertTrue(hog.stderr.contains("MemoryError"), hog.stderr)
    let net = run(.script("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=1)\n"))
    XCTAssertEqual(net.exitCode, 1)
    XCTAssertTrue(net.stderr.contains("not allowed") || net.stderr.contains("unreachable"), net.stderr)
    let spawn = run(.script("import os\nos.system('echo hi')\n"))
    XCTAssertEqual(spawn.exitCode, 1)
    XCTAssertFalse(spawn.stdout.contains("hi"))
  }
}
