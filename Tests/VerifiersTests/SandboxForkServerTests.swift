import Foundation
import XCTest

@testable import Verifiers

/// Jobs forked from pre-started interpreters keep the isolation of a spawned run: each is PID 1 of its
/// own PID namespace, in its own network namespace, and nothing of it outlives the job; a dead fork
/// server costs nothing but a respawn.
final class SandboxForkServerTests: XCTestCase {
  static let sandbox = Sandbox(config: SandboxConfig(limits: SandboxLimits(wallSeconds: 5, cpuSeconds: 2)))

  override func setUp() async throws {
    try XCTSkipUnless(Self.sandbox.capabilities.forkServer, "no nested PID namespaces on this machine")
  }

  /// Six jobs started together: every one is PID 1, and no two that were alive at the same time
  /// share a PID or network namespace (namespace inode numbers are reused once a namespace is gone, so
  /// only overlapping jobs are compared; each job prints when it started and ended).
  func testEachJobIsPIDOneOfItsOwnNamespaces() async {
    var config = Self.sandbox.config
    config.concurrency = 6
    let sandbox = Sandbox(config: config)
    let probe = """
      import os, time
      start = time.time()
      time.sleep(1)
      print(os.getpid(), os.readlink('/proc/self/ns/net'), os.readlink('/proc/self/ns/pid'), start, time.time())
      """
    let results = await sandbox.runAll(Array(repeating: SandboxJob.script(probe), count: 6))
    let fields = results.map { $0.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .newlines) } }
    XCTAssertEqual(fields.map { $0.first }, Array(repeating: "1", count: 6), "\(results.map(\.stderr))")
    let mine = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")) ?? ""
    var overlapping = 0
    for a in fields where a.count == 5 {
      XCTAssertNotEqual(a[1], mine)
      for b in fields where b.count == 5 && a != b {
        guard let a0 = Double(a[3]), let a1 = Double(a[4]), let b0 = Double(b[3]), let b1 = Double(b[4]),
          a0 < b1 && b0 < a1
        else { continue }
        overlapping += 1
        XCTAssertNotEqual(a[1], b[1], "two live jobs share a network namespace")
        XCTAssertNotEqual(a[2], b[2], "two live jobs share a PID namespace")
      }
    }
    XCTAssertGreaterThan(overlapping, 0, "no two jobs ran at the same time: nothing was compared")
  }

  /// A job's leftovers die with it: a thread still sleeping when the program ends does not keep it.
  func testNothingOutlivesAJob() {
    let left = Self.sandbox.runBlocking(
      .script(
        "import threading, time\nthreading.Thread(target=time.sleep, args=(30,)).start()\nprint('bye')\n"))
    XCTAssertEqual(left.stdout, "bye\n")
    XCTAssertLessThan(left.wallSeconds, 3, "the job ended with its main thread")
  }

  func testADeadForkServerIsReplaced() throws {
    let pool = try XCTUnwrap(Self.sandbox.forkServers)
    let server = try pool.take()
    XCTAssertEqual(kill(server.pid, SIGKILL), 0)
    pool.giveBack(server)
    for _ in 0..<3 {
      let r = Self.sandbox.runBlocking(.program("assert sum(range(5)) == 10\n"))
      XCTAssertEqual(r.verdict, .passed, r.detail)
    }
  }

  /// A job killed by the parent (output flood) or by the zygote (wall clock) leaves its server usable:
  /// one server runs every job below, none is replaced.
  func testKilledJobsLeaveTheServerUsable() throws {
    var config = Self.sandbox.config
    config.concurrency = 1
    config.limits = SandboxLimits(wallSeconds: 1, cpuSeconds: 5, outputBytes: 4096)
    let sandbox = Sandbox(config: config)
    let pool = try XCTUnwrap(sandbox.forkServers)
    for _ in 0..<2 {
      let flood = sandbox.runBlocking(.program("while True:\n    print('x' * 1000)\n"))
      XCTAssertEqual(flood.verdict, .error, flood.detail)
      let sleeper = sandbox.runBlocking(.program("import time\ntime.sleep(30)\n"))
      XCTAssertEqual(sleeper.verdict, .timeout, sleeper.detail)
      let ok = sandbox.runBlocking(.script("print(6 * 7)\n"))
      XCTAssertEqual(ok.stdout, "42\n", ok.detail)
    }
    XCTAssertEqual(pool.started, 1)
  }

  /// Same verdicts and outputs as spawning an interpreter per job, on programs that pass, fail, time
  /// out, exhaust memory and flood the output.
  func testSameResultsAsSpawningPerJob() async {
    var config = Self.sandbox.config
    config.forkServer = false
    let spawning = Sandbox(config: config)
    XCTAssertFalse(spawning.capabilities.forkServer)
    let jobs: [SandboxJob] = [
      .mbpp(code: "def f(x):\n    return x * 2\n", testList: ["assert f(2) == 4"]),
      .mbpp(code: "def f(x):\n    return x\n", testList: ["assert f(2) == 4"]),
      .program("while True:\n    pass\n"), .program("x = bytearray(2 << 30)\n"),
      .program("print('y' * 5_000_000)\n"), .script("print(input())\nraise SystemExit(4)\n", stdin: "in\n"),
    ]
    let forked = await Self.sandbox.runAll(jobs)
    let spawned = await spawning.runAll(jobs)
    for (a, b) in zip(forked, spawned) {
      XCTAssertEqual(a.verdict, b.verdict, "\(a.detail) | \(b.detail)")
      XCTAssertEqual(a.exitCode, b.exitCode)
      XCTAssertEqual(a.stdout.count, b.stdout.count)
    }
  }
}
