import Foundation
import XCTest

@testable import Verifiers

/// Behaviour of the sandbox on honest programs and on programs that try to cheat or escape.
final class SandboxTests: XCTestCase {
  static let sandbox = Sandbox(
    config: SandboxConfig(
      limits: SandboxLimits(wallSeconds: 6, cpuSeconds: 2, memoryBytes: 512 << 20, outputBytes: 64 << 10)))

  func run(_ job: SandboxJob) -> SandboxResult { Self.sandbox.runBlocking(job) }

  func testCapabilitiesAreReported() {
    let caps = Self.sandbox.capabilities
    print("SANDBOX CAPABILITIES:\n\(caps.summary)")
    XCTAssertFalse(caps.summary.isEmpty)
    if getuid() == 0 { XCTAssertTrue(caps.dropsPrivileges) }
  }

  func testPassingAndFailingPrograms() {
    let pass = run(.mbpp(code: "def add(a, b):\n    return a + b\n", testList: ["assert add(2, 3) == 5"]))
    XCTAssertEqual(pass.verdict, .passed, pass.detail)
    let fail = run(
      .mbpp(
        code: "def add(a, b):\n    return a - b\n",
        testList: ["assert add(1, 0) == 1", "assert add(2, 3) == 5"]))
    XCTAssertEqual(fail.verdict, .failed)
    XCTAssertEqual(fail.detail, "AssertionError at tests line 2: assert add(2, 3) == 5")
    let raising = run(.program("def f(x):\n    return 1 / x\n\nassert f(0) == 1\n"))
    XCTAssertEqual(raising.verdict, .failed)
    XCTAssertTrue(
      raising.detail.hasPrefix("ZeroDivisionError: division by zero at program line 2"), raising.detail)
    let syntax = run(.program("def f(:\n"))
    XCTAssertEqual(syntax.verdict, .failed)
    XCTAssertTrue(syntax.detail.hasPrefix("SyntaxError"), syntax.detail)
    let plain = run(.program("total = sum(range(10))\nassert total == 45\nprint(total)\n"))
    XCTAssertEqual(plain.verdict, .passed, plain.detail)
    XCTAssertEqual(plain.stdout, "45\n")
  }

  func testHumanEvalLayout() {
    let job = SandboxJob.humanEval(
      prompt: "def inc(x):\n    \"\"\"Add one.\"\"\"\n", completion: "    return x + 1\n",
      test: "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(-1) == 0\n",
      entryPoint: "inc")
    XCTAssertEqual(run(job).verdict, .passed)
    var broken = job
    broken.program = "def inc(x):\n    return x + 2\n"
    XCTAssertEqual(run(broken).verdict, .failed)
  }

  func testEarlyExitDoesNotPass() {
    let tests = ["assert f(1) == 2"]
    for code in [
      "import sys\nsys.exit(0)\ndef f(x): return 0\n", "import os\nos._exit(0)\n",
      "raise SystemExit\n", "def f(x):\n    import os\n    os._exit(0)\n",
      "def f(x):\n    raise SystemExit(0)\n",
    ] {
      let r = run(.mbpp(code: code, testList: tests))
      XCTAssertEqual(r.verdict, .failed, "\(code) → \(r.detail)")
    }
  }

  func testMonkeyPatchingDoesNotPass() {
    let tests = ["assert f(1) == 2", "assert f(2) == 3"]
    let cheats = [
      "import builtins\nbuiltins.AssertionError = type('A', (Exception,), {})\ndef f(x): return 0\n",
      "import builtins\nbuiltins.__import__ = None\nbuiltins.exec = lambda *a, **k: None\ndef f(x): return 0\n",
      "__builtins__.__dict__['exec'] = lambda *a, **k: None\ndef f(x): return 0\n",
      "import sys\nsys.modules['sys'] = None\ndef f(x): return 0\n",
      "import sys\nsys.settrace(lambda *a: None)\ndef f(x): return 0\n",
      "import sys\nsys.addaudithook(lambda e, a: None)\ndef f(x): return 0\n",
    ]
    for code in cheats {
      let r = run(.mbpp(code: code, testList: tests))
      XCTAssertEqual(r.verdict, .failed, "\(code) → \(r.detail)")
    }
  }

  /// Replays the harness's own "tests done" and "reveal" events from program code, with the test code
  /// object fished out of the harness's frame and run against stubs.
  func testForgedCompletionEventsDoNotPass() {
    let code = """
      import sys
      def f(x): return 0
      m = sys._getframe(1)
      tcode = m.f_locals['tcode']
      exec(tcode, {'__recheck_audit__': sys.audit, 'f': lambda x: x + 1})
      sys.audit('recheck.done')
      sys.audit('recheck.reveal')
      """
    let r = run(.mbpp(code: code, testList: ["assert f(1) == 2"]))
    XCTAssertEqual(r.verdict, .failed, r.detail)
  }

  func testFakeMarkersDoNotPass() {
    let code = """
      import os, sys
      print('passed'); print('ALL TESTS PASSED')
      for fd in range(3, 10):
          try: os.write(fd, b'passed 0123456789abcdef\\n')
          except OSError: pass
      os._exit(0)
      """
    let r = run(.mbpp(code: code, testList: ["assert False"]))
    XCTAssertEqual(r.verdict, .failed, r.detail)
  }

  func testInfiniteLoopTimesOut() {
    let r = run(.program("while True:\n    pass\n"))
    XCTAssertEqual(r.verdict, .timeout, r.detail)
    XCTAssertLessThan(r.wallSeconds, 7.5)
    let sleeper = run(.program("import time\ntime.sleep(60)\n"))
    XCTAssertEqual(sleeper.verdict, .timeout, sleeper.detail)
    XCTAssertLessThan(sleeper.wallSeconds, 7.5)
  }

  func testForkBombIsContained() {
    for code in [
      "import os\nwhile True:\n    os.fork()\n",
      "import subprocess\nsubprocess.run(['sh', '-c', ':(){ :|:& };:'])\n",
      "import os\nos.system('sleep 100 &')\n", "import os\nos.kill(os.getppid(), 9)\n",
    ] {
      let r = run(.program(code))
      XCTAssertEqual(r.verdict, .failed, "\(code) → \(r.detail)")
      XCTAssertTrue(r.detail.contains("not allowed"), r.detail)
    }
  }

  func testLargeAllocationHitsMemoryLimit() {
    let r = run(.program("x = bytearray(4 * 1024 ** 3)\nassert len(x) > 0\n"))
    XCTAssertEqual(r.verdict, .memory, r.detail)
    let growing = run(.program("x = []\nwhile True:\n    x.append(' ' * 10 ** 7)\n"))
    XCTAssertEqual(growing.verdict, .memory, growing.detail)
  }

  func testHugeOutputIsCappedAndKilled() {
    let r = run(.program("while True:\n    print('x' * 1000)\n"))
    XCTAssertEqual(r.verdict, .error, r.detail)
    XCTAssertTrue(r.detail.contains("output exceeded"), r.detail)
    XCTAssertLessThanOrEqual(r.stdout.utf8.count, 64 << 10)
  }

  func testFilesOutsideTheWorkDirSurvive() throws {
    guard Self.sandbox.capabilities.dropsPrivileges else {
      throw XCTSkip("LOUD: sandbox cannot drop privileges here (not root); outside files are NOT protected")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("recheck-sentinel-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let sentinel = dir.appendingPathComponent("sentinel.txt")
    try "keep".write(to: sentinel, atomically: true, encoding: .utf8)
    let code = """
      import os, shutil
      for attempt in (lambda: os.remove(\(pyString(sentinel.path))), lambda: shutil.rmtree(\(pyString(dir.path))),
                      lambda: open(\(pyString(sentinel.path)), 'w').write('gone')):
          try: attempt()
          except OSError: pass
      open('mine.txt', 'w').write('ok')
      os.remove('mine.txt')
      assert not os.path.exists(\(pyString(sentinel.path)))
      """
    let r = run(.program(code))
    XCTAssertEqual(r.verdict, .failed, r.detail)
    XCTAssertEqual(try String(contentsOf: sentinel, encoding: .utf8), "keep")
  }

  func testNoNetwork() throws {
    let listener = try LoopbackListener()
    defer { listener.close() }
    let code = """
      import socket
      s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
      s.settimeout(2)
      s.connect(('127.0.0.1', \(listener.port)))
      """
    let r = run(.program(code))
    XCTAssertEqual(r.verdict, .failed, r.detail)
    XCTAssertFalse(listener.acceptedAConnection())
    guard Self.sandbox.capabilities.namespaces != .none else {
      throw XCTSkip("LOUD: no network namespace on this machine; network is blocked by the audit hook only")
    }
    let interfaces = run(
      .program("print(sorted(l.split(':')[0].strip() for l in open('/proc/net/dev').readlines()[2:]))"))
    XCTAssertEqual(interfaces.stdout, "['lo']\n", interfaces.detail)
  }

  func testFreshWorkDirIsRemoved() {
    let r = run(
      .program(
        "import os\nopen('f.txt', 'w').write('x')\nprint(os.getcwd())\n"
          + "assert os.environ['HOME'] == os.getcwd() == os.environ['TMPDIR']\nassert os.listdir('.') == ['f.txt']\n"
      ))
    XCTAssertEqual(r.verdict, .passed, r.detail)
    let cwd = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    XCTAssertTrue(cwd.hasPrefix(Self.sandbox.config.scratchRoot), cwd)
    XCTAssertFalse(FileManager.default.fileExists(atPath: cwd))
  }

  func testConcurrentRunsKeepOrder() async {
    let jobs = (0..<12).map { i in SandboxJob.program("print(\(i) * \(i))\nassert \(i) != 7\n") }
    let results = await Self.sandbox.runAll(jobs)
    for (i, r) in results.enumerated() {
      XCTAssertEqual(r.stdout, "\(i * i)\n")
      XCTAssertEqual(r.verdict, i == 7 ? .failed : .passed)
    }
  }
}

func pyString(_ s: String) -> String {
  "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
}
