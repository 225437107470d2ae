import Foundation
import XCTest

@testable import Generation

#if canImport(Glibc)
  import Glibc
#endif

/// A loopback TCP socket that listens but never accepts or answers (a hung server).
final class SilentListener {
  let fd: Int32
  let port: Int

  init() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    self.fd = fd
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(fd, 8) == 0 else { throw PlainHTTPClient.Failure.connectionLost("listen") }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    port = Int(UInt16(bigEndian: addr.sin_port))
  }

  deinit { close(fd) }
}

final class PlainHTTPClientTests: XCTestCase {
  /// CPU seconds (user + system) this process has used.
  func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec)
      / 1e6
  }

  func testWaitingForASlowServerCostsNoCPU() async throws {
    let server = ScriptedOpenAIServer { _ in .init(status: 200, body: #"{"ok":true}"#, delayMs: 1500) }
    try await server.start()
    let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)/v1/completions"))
    let cpu0 = cpuSeconds()
    let t0 = Date()
    let r = try await PlainHTTPClient.send(
      method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Data("{}".utf8),
      timeout: 30)
    let wall = Date().timeIntervalSince(t0)
    let cpu = cpuSeconds() - cpu0
    await server.stop()
    XCTAssertEqual(r.status, 200)
    XCTAssertEqual(r.body, Data(#"{"ok":true}"#.utf8))
    XCTAssertGreaterThanOrEqual(wall, 1.4)
    // URLSession on Linux burns about one CPU-second per second of waiting (see PlainHTTPClient);
    // blocking in poll(2) costs next to nothing (the in-process server's own work included).
    XCTAssertLessThan(cpu, 0.3, "CPU \(cpu) s over \(wall) s of waiting")
  }

  func testHungServerTimesOut() async throws {
    let silent = try SilentListener()
    let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(silent.port)/v1/completions"))
    let t0 = Date()
    do {
      _ = try await PlainHTTPClient.send(method: "POST", url: url, timeout: 0.5)
      XCTFail("no timeout")
    } catch PlainHTTPClient.Failure.timedOut {
      let wall = Date().timeIntervalSince(t0)
      XCTAssertGreaterThanOrEqual(wall, 0.45)
      XCTAssertLessThan(wall, 5)
    }
  }

  func testCancellingTheTaskEndsTheWaitAtOnce() async throws {
    let silent = try SilentListener()
    let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(silent.port)/x"))
    let task = Task { try await PlainHTTPClient.send(method: "GET", url: url, timeout: 60) }
    try await Task.sleep(for: .milliseconds(200))
    let t0 = Date()
    task.cancel()
    let result = await task.result
    XCTAssertLessThan(Date().timeIntervalSince(t0), 5)
    XCTAssertThrowsError(try result.get())
  }

  func testClosedPortIsConnectionRefused() async throws {
    let port = try SilentListener().port  // closed again when the listener is released
    let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)/"))
    do {
      _ = try await PlainHTTPClient.send(method: "GET", url: url, timeout: 5)
      XCTFail("connected to a closed port")
    } catch PlainHTTPClient.Failure.connectionRefused(let message) {
      XCTAssertTrue(message.contains("127.0.0.1:\(port)"), message)
    }
  }
}
