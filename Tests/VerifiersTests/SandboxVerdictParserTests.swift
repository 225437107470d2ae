import XCTest

@testable import Verifiers

/// The verdict of a run from what its process tree did, on outcomes recorded from real runs.
final class SandboxVerdictParserTests: XCTestCase {
  let limits = SandboxLimits(wallSeconds: 6, cpuSeconds: 2)

  /// Seen in a full test run on two busy cores: `while True: pass` killed at RLIMIT_CPU, rusage read
  /// as 1.37 s, and `unshare` exiting 1 because it cannot re-raise SIGKILL.
  func testUnshareReportedKillWithLaggingRusageIsACPUTimeout() {
    var o = SandboxOutcome()
    o.status = 1 << 8
    o.cpuSeconds = 1.37
    o.wallSeconds = 2.18
    o.stderr = Array("unshare: sigprocmask unblock failed: Invalid argument\n".utf8)
    XCTAssertEqual(Sandbox.verdict(o, nonce: "n", limits: limits).verdict, .timeout)
  }

  /// The same exit with little CPU used is a program that died early, not a timeout.
  func testEarlyExitIsAFailure() {
    var o = SandboxOutcome()
    o.status = 1 << 8
    o.cpuSeconds = 0.2
    o.stderr = Array("unshare: sigprocmask unblock failed: Invalid argument\n".utf8)
    XCTAssertEqual(Sandbox.verdict(o, nonce: "n", limits: limits).verdict, .failed)
    o.stderr = []
    o.cpuSeconds = 1.37
    XCTAssertEqual(Sandbox.verdict(o, nonce: "n", limits: limits).verdict, .failed)
  }

  func testOnlyTheNoncedPassLinePasses() {
    var o = SandboxOutcome()
    o.result = Array("passed n\n".utf8)
    XCTAssertEqual(Sandbox.verdict(o, nonce: "n", limits: limits).verdict, .passed)
    o.result = Array("passed m\n".utf8)
    XCTAssertNotEqual(Sandbox.verdict(o, nonce: "n", limits: limits).verdict, .passed)
  }
}
