import Foundation
import XCTest

@testable import RewardServer

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The shared secret, `--allow` networks and the loopback rule, first as pure decisions, then over
/// real HTTP on a loopback port.
final class AccessPolicyTests: XCTestCase {
  static let secret = "0123456789abcdef0123456789abcdef"

  func testDecisions() throws {
    let p = AccessPolicy(secret: Self.secret)
    XCTAssertEqual(p.decide(authorization: "Bearer \(Self.secret)", pathSecret: nil, remote: nil), .allowed)
    XCTAssertEqual(p.decide(authorization: "bearer  \(Self.secret) ", pathSecret: nil, remote: nil), .allowed)
    XCTAssertEqual(p.decide(authorization: nil, pathSecret: Self.secret, remote: nil), .allowed)
    XCTAssertEqual(
      p.decide(authorization: nil, pathSecret: nil, remote: nil), .unauthorized(reason: "missing"))
    XCTAssertEqual(
      p.decide(authorization: "Basic abc", pathSecret: nil, remote: nil), .unauthorized(reason: "missing"))
    XCTAssertEqual(
      p.decide(authorization: "Bearer \(Self.secret)x", pathSecret: nil, remote: nil),
      .unauthorized(reason: "wrong"))
    XCTAssertEqual(
      p.decide(authorization: "Bearer \(Self.secret.dropLast())", pathSecret: nil, remote: nil),
      .unauthorized(reason: "wrong"))
    // A wrong path secret is not rescued by a right header: the path names the credential used.
    XCTAssertEqual(
      p.decide(authorization: "Bearer \(Self.secret)", pathSecret: "nope", remote: nil),
      .unauthorized(reason: "wrong"))
    let net = AccessPolicy(
      secret: nil, allowed: [try IPNetwork(cidr: "10.1.0.0/16"), try IPNetwork(cidr: "::1")])
    XCTAssertEqual(net.decide(authorization: nil, pathSecret: nil, remote: "10.1.200.3"), .allowed)
    XCTAssertEqual(net.decide(authorization: nil, pathSecret: nil, remote: "::ffff:10.1.0.9"), .allowed)
    XCTAssertEqual(net.decide(authorization: nil, pathSecret: nil, remote: "::1"), .allowed)
    XCTAssertEqual(net.decide(authorization: nil, pathSecret: nil, remote: "10.2.0.1"), .forbidden)
    XCTAssertEqual(net.decide(authorization: nil, pathSecret: nil, remote: nil), .forbidden)
  }

  func testConstantTimeEqualityIsEquality() {
    let samples: [[UInt8]] = [
      [], [1], [1, 2], [1, 3], [2, 2], [1, 2, 0], Array(repeating: 7, count: 256), [7],
    ]
    for a in samples {
      for b in samples { XCTAssertEqual(AccessPolicy.constantTimeEqual(a, b), a == b, "\(a) \(b)") }
    }
  }

  func testCIDRParsingAndLoopback() throws {
    XCTAssertTrue(try IPNetwork(cidr: "192.168.1.0/24").contains([192, 168, 1, 77]))
    XCTAssertFalse(try IPNetwork(cidr: "192.168.1.0/24").contains([192, 168, 2, 1]))
    XCTAssertTrue(try IPNetwork(cidr: "0.0.0.0/0").contains([8, 8, 8, 8]))
    XCTAssertTrue(try IPNetwork(cidr: "10.0.0.5").contains([10, 0, 0, 5]))
    XCTAssertFalse(try IPNetwork(cidr: "10.0.0.5").contains([10, 0, 0, 4]))
    XCTAssertTrue(try IPNetwork(cidr: "fd00::/8").contains(IPNetwork.parseAddress("fd12::1")!))
    XCTAssertThrowsError(try IPNetwork(cidr: "10.0.0.0/33"))
    XCTAssertThrowsError(try IPNetwork(cidr: "example.com"))
    for host in ["127.0.0.1", "127.8.0.1", "localhost", "::1", "[::1]"] {
      XCTAssertTrue(AccessPolicy.isLoopback(host: host), host)
    }
    for host in ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "example.com"] {
      XCTAssertFalse(AccessPolicy.isLoopback(host: host), host)
    }
  }

  func testNonLoopbackBindNeedsASecretOrInsecure() async throws {
    XCTAssertNil(AccessPolicy.exposureProblem(host: "127.0.0.1", policy: nil, insecure: false))
    XCTAssertNotNil(AccessPolicy.exposureProblem(host: "0.0.0.0", policy: nil, insecure: false))
    XCTAssertNotNil(
      AccessPolicy.exposureProblem(
        host: "0.0.0.0", policy: AccessPolicy(allowed: [try IPNetwork(cidr: "10.0.0.0/8")]), insecure: false))
    XCTAssertNil(
      AccessPolicy.exposureProblem(
        host: "0.0.0.0", policy: AccessPolicy(secret: Self.secret), insecure: false))
    XCTAssertNil(AccessPolicy.exposureProblem(host: "0.0.0.0", policy: nil, insecure: true))
    // The server itself refuses too, before binding anything.
    do {
      let server = try await RewardHTTPServer.start(
        RewardService(config: RewardServerConfig(host: "0.0.0.0", port: 0)))
      await server.stop()
      XCTFail("bound 0.0.0.0 without a secret")
    } catch let e as RewardServiceError {
      XCTAssertTrue(e.message.contains("--api-key-file"), e.message)
    }
  }

  func testSecretFileRules() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("recheck-key-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let good = dir.appendingPathComponent("good").path
    try "\(Self.secret)\n".write(toFile: good, atomically: true, encoding: .utf8)
    XCTAssertEqual(try AccessPolicy.loadSecret(file: good), Self.secret)
    for bad in ["short", "has/slash/0123456789abcdef", "with space 0123456789abcdef"] {
      let path = dir.appendingPathComponent("bad").path
      try bad.write(toFile: path, atomically: true, encoding: .utf8)
      XCTAssertThrowsError(try AccessPolicy.loadSecret(file: path), bad)
    }
    XCTAssertThrowsError(try AccessPolicy.loadSecret(file: dir.appendingPathComponent("missing").path))
  }

  /// Over HTTP: without the secret nothing runs (the executor is never called), the refusal is a 401
  /// counted in /metrics; with it — as a Bearer header or as the /k/<secret>/ prefix — requests run.
  func testSecretOverHTTP() async throws {
    let executor = ScriptedExecutor()
    let config = RewardServerConfig(port: 0, access: AccessPolicy(secret: Self.secret))
    let service = RewardService(config: config, executor: executor)
    let server = try await RewardHTTPServer.start(service)
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    func call(_ path: String, bearer: String? = nil, post: Bool = true) async throws -> Int {
      var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
      request.httpMethod = post ? "POST" : "GET"
      if post { request.httpBody = Data(#"{"code": "print(1)", "language": "python"}"#.utf8) }
      if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
      let (_, response) = try await session.data(for: request)
      return (response as! HTTPURLResponse).statusCode
    }
    let refused = [
      try await call("/run_code"), try await call("/run_code", bearer: "wrong-secret-0123456789"),
      try await call("/k/wrong-secret-0123456789/run_code"), try await call("/metrics", post: false),
    ]
    XCTAssertEqual(refused, [401, 401, 401, 401])
    XCTAssertEqual(executor.maxInFlight, 0, "a refused request must run nothing")
    let health = try await call("/health", post: false)
    let bearer = try await call("/run_code", bearer: Self.secret)
    let prefixed = try await call("/k/\(Self.secret)/run_code")
    XCTAssertEqual([health, bearer, prefixed], [200, 200, 200])
    XCTAssertEqual(executor.maxInFlight, 1)
    XCTAssertEqual(service.metrics.rejectedCount(route: "run_code", reason: "missing"), 1)
    XCTAssertEqual(service.metrics.rejectedCount(route: "run_code", reason: "wrong"), 2)
    let metrics = try await session.data(
      for: {
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/k/\(Self.secret)/metrics")!)
        r.httpMethod = "GET"
        return r
      }())
    let text = String(decoding: metrics.0, as: UTF8.self)
    XCTAssertTrue(text.contains(#"recheck_rejected_total{route="run_code",reason="wrong"} 2"#), text)
    XCTAssertTrue(text.contains(#"recheck_requests_total{route="run_code",status="401"} 3"#), text)
    await server.stop()
  }

  /// `--allow` over loopback: 127.0.0.1 outside the allowed network gets 403 even with the secret.
  func testAllowListOverHTTP() async throws {
    for (cidr, expected) in [("10.0.0.0/8", 403), ("127.0.0.0/8", 200)] {
      let policy = AccessPolicy(secret: Self.secret, allowed: [try IPNetwork(cidr: cidr)])
      let service = RewardService(
        config: RewardServerConfig(port: 0, access: policy), executor: ScriptedExecutor())
      let server = try await RewardHTTPServer.start(service)
      var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/k/\(Self.secret)/run_code")!)
      request.httpMethod = "POST"
      request.httpBody = Data(#"{"code": "print(1)"}"#.utf8)
      let (_, response) = try await URLSession.shared.data(for: request)
      XCTAssertEqual((response as! HTTPURLResponse).statusCode, expected, cidr)
      await server.stop()
    }
  }
}
