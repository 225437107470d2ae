import Foundation
import RewardServer
import XCTest

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The server on a random loopback port, spoken to over real HTTP.
final class RewardHTTPServerTests: XCTestCase {
  var server: RunningRewardServer!
  var session: URLSession!

  override func setUp() async throws {
    let config = RewardServerConfig(port: 0, maxBodyBytes: 8 << 20)
    server = try await RewardHTTPServer.start(RewardService(config: config))
    let sc = URLSessionConfiguration.ephemeral
    sc.httpMaximumConnectionsPerHost = 32
    sc.timeoutIntervalForRequest = 30
    session = URLSession(configuration: sc)
  }

  override func tearDown() async throws {
    session.finishTasksAndInvalidate()
    await server.stop()
  }

  func call(_ method: String, _ path: String, _ body: Data? = nil) async throws -> (status: Int, body: Data) {
    try await Self.call(session, server.port, method, path, body)
  }

  static func call(_ session: URLSession, _ port: Int, _ method: String, _ path: String, _ body: Data? = nil)
    async throws -> (status: Int, body: Data)
  {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.httpMethod = method
    request.httpBody = body
    if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
    let (data, response) = try await session.data(for: request)
    return ((response as! HTTPURLResponse).statusCode, data)
  }

  func testHealthRewardVerifyAndMetricsOverHTTP() async throws {
    let health = try await call("GET", "/health")
    XCTAssertEqual(health.status, 200)
    XCTAssertEqual(String(decoding: health.body, as: UTF8.self), #"{"status":"ok"}"#)

    let reward = try await call(
      "POST", "/get_reward",
      Data(
        #"{"query": ["P: \\boxed{6}", "P: \\boxed{7}"], "prompts": ["P: ", "P: "], "labels": ["6", "6"]}"#
          .utf8))
    XCTAssertEqual(reward.status, 200)
    XCTAssertEqual(try JSONDecoder().decode(GetRewardResponse.self, from: reward.body).rewards, [1, 0])

    let verify = try await call(
      "POST", "/verify",
      Data(#"{"items": [{"id": "x", "response": "\\boxed{2\\sqrt{2}}", "answer": "\\sqrt{8}"}]}"#.utf8))
    XCTAssertEqual(verify.status, 200)
    XCTAssertEqual(
      try JSONDecoder().decode(VerifyResponse.self, from: verify.body).results.first?.correct, true)

    let code = try await call("POST", "/run_code", Data(#"{"code": "print(1)"}"#.utf8))
    XCTAssertEqual(code.status, 503)

    let metrics = try await call("GET", "/metrics")
    let text = String(decoding: metrics.body, as: UTF8.self)
    XCTAssertTrue(text.contains(#"recheck_requests_total{route="get_reward",status="200"} 1"#), text)
    XCTAssertTrue(text.contains(#"recheck_requests_total{route="run_code",status="503"} 1"#), text)
    XCTAssertTrue(text.contains(#"recheck_request_seconds_count{route="verify"} 1"#), text)
    XCTAssertTrue(
      text.contains(#"recheck_verdicts_total{task="math",rule="exact-string",correct="true"} 1"#), text)

    let missing = try await call("GET", "/nope")
    XCTAssertEqual(missing.status, 404)
  }

  /// `/run_code` over HTTP with the real sandbox and verl's payload shape: stdin reaches the program,
  /// `SystemExit(3)` is return code 3, bad input is a 4xx naming the field, and the server keeps serving.
  func testRunCodeOverHTTPWithTheRealSandbox() async throws {
    let service = RewardService(
      config: RewardServerConfig(port: 0, maxStdinBytes: 1000), executor: SandboxCodeExecutorTests.exec)
    let sandboxed = try await RewardHTTPServer.start(service)
    func post(_ fields: [String: Any]) async throws -> (Int, [String: Any]) {
      var request: [String: Any] = [
        "compile_timeout": 10, "run_timeout": 10, "memory_limit_MB": 1024, "language": "python", "files": [:],
        "fetch_files": [],
      ]
      request.merge(fields) { $1 }
      let body = try JSONSerialization.data(withJSONObject: request)
      let (status, data) = try await Self.call(session, sandboxed.port, "POST", "/run_code", body)
      return (status, (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }
    let (okStatus, ok) = try await post([
      "code": "a, b = map(int, input().split())\nprint(a + b)\n", "stdin": "2 40\n",
    ])
    XCTAssertEqual(okStatus, 200)
    XCTAssertEqual(ok["status"] as? String, "Success")
    let run = ok["run_result"] as? [String: Any]
    XCTAssertEqual(run?["stdout"] as? String, "42\n")
    XCTAssertEqual(run?["return_code"] as? Int, 0)
    XCTAssertEqual(run?["status"] as? String, "Finished")
    let (_, three) = try await post(["code": "raise SystemExit(3)\n", "stdin": NSNull()])
    XCTAssertEqual(three["status"] as? String, "Failed")
    XCTAssertEqual((three["run_result"] as? [String: Any])?["return_code"] as? Int, 3)
    let (bigStatus, big) = try await post(["code": "print(1)", "stdin": String(repeating: "9", count: 1001)])
    XCTAssertEqual(bigStatus, 413)
    XCTAssertTrue((big["error"] as? String ?? "").hasPrefix("stdin:"), "\(big)")
    let (langStatus, lang) = try await post(["code": "int main() {}", "language": "cpp"])
    XCTAssertEqual(langStatus, 400)
    XCTAssertTrue((lang["error"] as? String ?? "").hasPrefix("language:"), "\(lang)")
    let health = try await Self.call(session, sandboxed.port, "GET", "/health")
    XCTAssertEqual(health.status, 200)
    let (againStatus, again) = try await post(["code": "print(input())", "stdin": "still here"])
    XCTAssertEqual(againStatus, 200)
    XCTAssertEqual((again["run_result"] as? [String: Any])?["stdout"] as? String, "still here\n")
    await sandboxed.stop()
  }

  func testMalformedBodiesGet4xxAndTheServerKeepsServing() async throws {
    let bodies: [(String, Data, Int)] = [
      ("truncated", Data(#"{"query": ["a"], "prompts": ["a"], "labels": ["#.utf8), 400),
      ("wrong types", Data(#"{"query": [1, 2], "prompts": {}, "labels": null}"#.utf8), 400),
      ("not JSON", Data("\u{00}\u{01}garbage".utf8), 400),
      ("empty", Data(), 400),
      ("10 MB", Data(repeating: UInt8(ascii: "a"), count: 10 << 20), 413),
    ]
    for (name, body, status) in bodies {
      let reply = try await call("POST", "/get_reward", body)
      XCTAssertEqual(reply.status, status, name)
      let error = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
      XCTAssertNotNil(error?["error"] as? String, name)
      let health = try await call("GET", "/health")
      XCTAssertEqual(health.status, 200, "after \(name)")
    }
  }

  /// 2,000 `/get_reward` requests, 32 in flight: every answer must be right; prints p50/p99 and req/s.
  func testLoad2000Requests32Concurrent() async throws {
    let total = 2000
    let concurrency = 32
    // Item i: reference i/(i+1); even i answer 2i/(2i+2) (equal), odd i answer (i+1)/i (never equal).
    @Sendable func item(_ i: Int) -> (Data, Double) {
      let n = i + 1
      let answer = i % 2 == 0 ? "\\frac{\(2 * n)}{\(2 * n + 2)}" : "\\frac{\(n + 1)}{\(n)}"
      let prompt = "Problem \(i): "
      let body: [String: Any] = [
        "query": [prompt + "The answer is \\boxed{\(answer)}."], "prompts": [prompt],
        "labels": [#"{"task": "math", "answer": "\\frac{\#(n)}{\#(n + 1)}"}"#],
      ]
      return (try! JSONSerialization.data(withJSONObject: body), i % 2 == 0 ? 1 : 0)
    }
    let (session, port) = (session!, server.port)
    let start = ContinuousClock.now
    let results = try await withThrowingTaskGroup(of: [(Double, Bool)].self) { group in
      for worker in 0..<concurrency {
        group.addTask {
          var out: [(Double, Bool)] = []
          for i in stride(from: worker, to: total, by: concurrency) {
            let (body, expected) = item(i)
            let t0 = ContinuousClock.now
            let reply = try await Self.call(session, port, "POST", "/get_reward", body)
            let seconds =
              Double((ContinuousClock.now - t0).components.attoseconds) * 1e-18
              + Double((ContinuousClock.now - t0).components.seconds)
            let rewards =
              reply.status == 200
              ? try JSONDecoder().decode(GetRewardResponse.self, from: reply.body).rewards : []
            out.append((seconds, rewards == [expected]))
          }
          return out
        }
      }
      var all: [(Double, Bool)] = []
      for try await part in group { all += part }
      return all
    }
    let wall = ContinuousClock.now - start
    let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
    XCTAssertEqual(results.count, total)
    XCTAssertEqual(results.filter(\.1).count, total, "every request answered with the right reward")
    let latencies = results.map(\.0).sorted()
    let p50 = latencies[total / 2] * 1000
    let p99 = latencies[total * 99 / 100] * 1000
    print(
      String(
        format:
          "reward-server load: %d requests, %d concurrent: p50 %.2f ms, p99 %.2f ms, %.0f req/s (%.2f s)",
        total,
        concurrency, p50, p99, Double(total) / wallSeconds, wallSeconds))
    let count = try await call("GET", "/metrics")
    XCTAssertTrue(
      String(decoding: count.body, as: UTF8.self).contains(
        #"recheck_requests_total{route="get_reward",status="200"} 2000"#))
  }
}
