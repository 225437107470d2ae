import Foundation
import XCTest

@testable import Verifiers

/// An interpreter the sandbox user cannot read is refused at start, saying why.
final class SandboxInterpreterCheckTests: XCTestCase {
  func testWorkingInterpreterIsAccepted() throws {
    XCTAssertNoThrow(try Sandbox.checked(config: SandboxConfig()))
  }

  func testMissingInterpreterIsRefused() {
    XCTAssertThrowsError(try Sandbox.checked(config: SandboxConfig(python: "/nonexistent/python3"))) {
      error in
      XCTAssertTrue("\(error)".contains("/nonexistent/python3"), "\(error)")
    }
  }

  /// As root: an interpreter whose standard library lies under a 0700 directory (like a pyenv or venv
  /// python in /root) starts as root, but for uid 65534 everything not imported yet is gone — the case
  /// where HumanEval solutions "failed" with `No module named 'typing'`. The interpreter is a copy of
  /// /usr/bin/python3 whose lib/ links to the system stdlib. Skipped unless root, where privileges drop.
  func testInterpreterInAPrivateDirectoryIsRefusedWithTheReason() throws {
    try XCTSkipUnless(getuid() == 0, "needs root (the sandbox drops to an unprivileged uid only then)")
    let real = URL(fileURLWithPath: "/usr/bin/python3").resolvingSymlinksInPath().path
    let version = URL(fileURLWithPath: real).lastPathComponent  // python3.11
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("recheck-private-\(getpid())")
      .path
    try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: dir + "/lib", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    XCTAssertEqual(chmod(dir, 0o700), 0)
    try FileManager.default.copyItem(atPath: real, toPath: dir + "/bin/python3")
    XCTAssertEqual(symlink("/usr/lib/" + version, dir + "/lib/" + version), 0)
    XCTAssertThrowsError(try Sandbox.checked(config: SandboxConfig(python: dir + "/bin/python3"))) { error in
      let message = "\(error)"
      XCTAssertTrue(message.contains("uid 65534"), message)
      XCTAssertTrue(message.contains("typing"), message)
      XCTAssertTrue(message.contains("\(dir) (mode 700)"), message)
    }
  }
}
