import Foundation
import Hummingbird
import ServiceLifecycle
import XCTest

@testable import Generation

/// A scripted OpenAI-style server on a loopback port (Hummingbird): answers each call from `script`
/// and records bodies, Authorization headers and the largest number of calls in flight at once.
final class ScriptedOpenAIServer: @unchecked Sendable {
  struct Reply: Sendable {
    var status: Int
    var body: String
    var delayMs: Int = 0
  }

  private let lock = NSLock()
  private var calls = 0
  private var inFlight = 0
  private(set) var maxInFlight = 0
  private(set) var bodies: [[String: Any]] = []
  private(set) var authorizations: [String?] = []
  let script: @Sendable (Int) -> Reply
  private var group: ServiceGroup?
  private var task: Task<Void, any Error>?
  private(set) var port = 0

  init(script: @escaping @Sendable (Int) -> Reply) { self.script = script }

  var callCount: Int { lock.withLock { calls } }

  func start() async throws {
    let router = Router()
    let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
      let data = try await request.body.collect(upTo: 1 << 20)
      let auth = request.headers[.authorization]
      let n: Int = self.lock.withLock {
        self.calls += 1
        self.inFlight += 1
        self.maxInFlight = max(self.maxInFlight, self.inFlight)
        self.authorizations.append(auth)
        if let obj = try? JSONSerialization.jsonObject(with: Data(buffer: data)) as? [String: Any] {
          self.bodies.append(obj)
        }
        return self.calls
      }
      let reply = self.script(n)
      if reply.delayMs > 0 { try await Task.sleep(for: .milliseconds(reply.delayMs)) }
      self.lock.withLock { self.inFlight -= 1 }
      var headers = HTTPFields()
      headers[.contentType] = "application/json"
      return Response(
        status: .init(code: reply.status), headers: headers,
        body: .init(byteBuffer: ByteBuffer(string: reply.body)))
    }
    router.post("/v1/completions", use: handler)
    router.post("/v1/chat/completions", use: handler)
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
      onServerRunning: { continuation.yield($0.localAddress?.port ?? -1) })
    let group = ServiceGroup(
      services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: app.logger)
    self.group = group
    task = Task {
      defer { continuation.finish() }
      try await group.run()
    }
    var it = ports.makeAsyncIterator()
    port = await it.next() ?? -1
    XCTAssertGreaterThan(port, 0)
  }

  func stop() async {
    await group?.triggerGracefulShutdown()
    _ = try? await task?.value
  }

  static func completion(_ text: String, finish: String = "length", extra: String = "") -> String {
    let escaped = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    return #"{"choices": [{"index": 0, "text": \#(escaped), "finish_reason": "\#(finish)"\#(extra)}]}"#
  }
}

final class OpenAIRetryTests: XCTestCase {
  func config(_ port: Int, retries: Int = 4) -> OpenAIBackendConfig {
    OpenAIBackendConfig(
      baseURL: "http://127.0.0.1:\(port)/v1/", model: "m", apiKey: "sk-secret-123", maxConcurrency: 4,
      maxRetries: retries, timeout: 10, initialBackoff: 0.01, maxBackoff: 0.05, jitterSeed: 9)
  }

  let prompt = CompletionRequest(prompt: .text("Hi"), params: .greedy(maxNewTokens: 4))

  func testRetries429And500ThenSucceeds() async throws {
    let server = ScriptedOpenAIServer { n in
      switch n {
      case 1: return .init(status: 429, body: #"{"error": {"message": "slow down"}}"#)
      case 2: return .init(status: 500, body: "oops")
      default: return .init(status: 200, body: ScriptedOpenAIServer.completion(" there"))
      }
    }
    try await server.start()
    defer { Task { await server.stop() } }
    let model = try OpenAICompatibleModel(config: config(server.port))
    let out = try await model.complete([prompt])
    XCTAssertEqual(out.map { $0.map(\.text) }, [[" there"]])
    XCTAssertEqual(out[0][0].finishReason, .length)
    XCTAssertEqual(server.callCount, 3)
    XCTAssertEqual(server.authorizations, Array(repeating: "Bearer sk-secret-123", count: 3))
    await server.stop()
  }

  func testClientErrorFailsAtOnceWithTheServerMessageAndNoKey() async throws {
    let server = ScriptedOpenAIServer { _ in
      .init(status: 400, body: #"{"error": {"message": "max_tokens too large; key sk-secret-123 used"}}"#)
    }
    try await server.start()
    let model = try OpenAICompatibleModel(config: config(server.port))
    do {
      _ = try await model.complete([prompt])
      XCTFail("expected an error")
    } catch let e as OpenAIBackendError {
      guard case .http(400, let message) = e else { return XCTFail("\(e)") }
      XCTAssertTrue(message.hasPrefix("max_tokens too large"), message)
      XCTAssertFalse("\(e)".contains("sk-secret-123"), "\(e)")
      XCTAssertFalse(e.isRetryable)
    }
    XCTAssertEqual(server.callCount, 1)
    await server.stop()
  }

  func testPersistent503ExhaustsRetries() async throws {
    let server = ScriptedOpenAIServer { _ in .init(status: 503, body: #"{"detail": "loading model"}"#) }
    try await server.start()
    let model = try OpenAICompatibleModel(config: config(server.port, retries: 3))
    do {
      _ = try await model.complete([prompt])
      XCTFail("expected an error")
    } catch OpenAIBackendError.retriesExhausted(let attempts, let last) {
      XCTAssertEqual(attempts, 4)
      XCTAssertEqual(last, .http(status: 503, message: "loading model"))
    }
    XCTAssertEqual(server.callCount, 4)
    await server.stop()
  }

  func testConnectionRefusedIsATransportErrorAndRetried() async throws {
    // Start and stop a server to get a port that nothing listens on.
    let server = ScriptedOpenAIServer { _ in .init(status: 200, body: "{}") }
    try await server.start()
    let port = server.port
    await server.stop()
    let model = try OpenAICompatibleModel(config: config(port, retries: 2))
    do {
      _ = try await model.complete([prompt])
      XCTFail("expected an error")
    } catch OpenAIBackendError.retriesExhausted(let attempts, let last) {
      XCTAssertEqual(attempts, 3)
      guard case .transport = last else { return XCTFail("\(last)") }
    }
  }

  func testConcurrencyIsBoundedAndSamplesGetSeedPlusJ() async throws {
    let server = ScriptedOpenAIServer { _ in
      .init(status: 200, body: ScriptedOpenAIServer.completion("x"), delayMs: 40)
    }
    try await server.start()
    var cfg = config(server.port)
    cfg.maxConcurrency = 2
    let model = try OpenAICompatibleModel(config: cfg)
    let params = SamplingParams(temperature: 0.7, topK: 20, topP: 0.9, maxNewTokens: 5, stopStrings: ["\n\n"])
    let requests = [
      CompletionRequest(prompt: .text("a"), params: params, n: 3, seed: 100),
      CompletionRequest(prompt: .chat([.user("b")]), params: params, n: 3, seed: 7),
    ]
    let out = try await model.complete(requests)
    XCTAssertEqual(out.map(\.count), [3, 3])
    XCTAssertEqual(server.maxInFlight, 2)
    let bodies = server.bodies
    XCTAssertEqual(bodies.count, 6)
    let textSeeds = bodies.filter { $0["prompt"] as? String == "a" }.compactMap { $0["seed"] as? Int }
      .sorted()
    XCTAssertEqual(textSeeds, [100, 101, 102])
    let chat = bodies.filter { $0["messages"] != nil }
    XCTAssertEqual(chat.compactMap { $0["seed"] as? Int }.sorted(), [7, 8, 9])
    let first = try XCTUnwrap(chat.first)
    XCTAssertEqual((first["messages"] as? [[String: String]])?.first, ["role": "user", "content": "b"])
    XCTAssertEqual(first["n"] as? Int, 1)
    XCTAssertEqual(first["temperature"] as? Double, 0.7)
    XCTAssertEqual(first["top_p"] as? Double, 0.9)
    XCTAssertEqual(first["top_k"] as? Int, 20)
    XCTAssertEqual(first["max_tokens"] as? Int, 5)
    XCTAssertEqual(first["stop"] as? [String], ["\n\n"])
    XCTAssertNil(first["logprobs"])
    await server.stop()
  }

  func testParsesLogProbsTokenIDsAndStopReason() async throws {
    let server = ScriptedOpenAIServer { _ in
      .init(
        status: 200,
        body: ScriptedOpenAIServer.completion(
          "ab", finish: "stop",
          extra: #", "stop_reason": "\n", "token_ids": [5, 6], "logprobs": {"token_logprobs": [-0.5, -1.25]}"#
        ))
    }
    try await server.start()
    var cfg = config(server.port)
    cfg.requestLogProbs = true
    cfg.requestTokenIDs = true
    let model = try OpenAICompatibleModel(config: cfg)
    let seq = try await model.complete([prompt])[0][0]
    XCTAssertEqual(
      seq, GeneratedSequence(tokens: [5, 6], text: "ab", logProbs: [-0.5, -1.25], finishReason: .stopString))
    XCTAssertEqual(server.bodies.first?["logprobs"] as? Int, 1)
    XCTAssertEqual(server.bodies.first?["return_token_ids"] as? Bool, true)
    await server.stop()
  }

  func testBackoffIsSeededBoundedAndHonoursRetryAfter() {
    var a = BackoffSchedule(initialDelay: 0.5, maxDelay: 30, seed: 42)
    var b = BackoffSchedule(initialDelay: 0.5, maxDelay: 30, seed: 42)
    let da = (0..<12).map { a.delay(retry: $0) }
    XCTAssertEqual(da, (0..<12).map { b.delay(retry: $0) })
    for (k, d) in da.enumerated() {
      let base = min(30, 0.5 * pow(2, Double(k)))  // 0.5, 1, 2, 4, …, capped at 30
      XCTAssertGreaterThanOrEqual(d, base * 0.5)
      XCTAssertLessThan(d, base)
    }
    var c = BackoffSchedule(initialDelay: 0.5, maxDelay: 30, seed: 43)
    XCTAssertNotEqual(da, (0..<12).map { c.delay(retry: $0) })
    XCTAssertEqual(a.delay(retry: 0, retryAfter: 7), 7)
    XCTAssertEqual(a.delay(retry: 0, retryAfter: 100), 30)
  }

  func testErrorClassificationAndKeyHandling() throws {
    XCTAssertTrue(OpenAIBackendError.http(status: 429, message: "").isRetryable)
    XCTAssertTrue(OpenAIBackendError.http(status: 408, message: "").isRetryable)
    XCTAssertTrue(OpenAIBackendError.http(status: 502, message: "").isRetryable)
    XCTAssertFalse(OpenAIBackendError.http(status: 401, message: "").isRetryable)
    XCTAssertFalse(OpenAIBackendError.http(status: 404, message: "").isRetryable)
    XCTAssertTrue(OpenAIBackendError.transport("reset").isRetryable)
    XCTAssertEqual(OpenAIBackendError.serverMessage(Data(#"{"error": {"message": "m1"}}"#.utf8)), "m1")
    XCTAssertEqual(OpenAIBackendError.serverMessage(Data(#"{"error": "m2"}"#.utf8)), "m2")
    XCTAssertEqual(OpenAIBackendError.serverMessage(Data("plain text".utf8)), "plain text")

    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("recheck-key-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let keyFile = dir.appendingPathComponent("key").path
    try "sk-from-file\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
    let cfg = OpenAIBackendConfig(baseURL: "http://127.0.0.1:1/v1", model: "m", apiKeyFile: keyFile)
    XCTAssertEqual(try cfg.resolvedAPIKey(), "sk-from-file")
    var withKey = cfg
    withKey.apiKey = "sk-inline"
    XCTAssertFalse(withKey.description.contains("sk-inline"))
    XCTAssertFalse(String(decoding: try JSONEncoder().encode(withKey), as: UTF8.self).contains("sk-inline"))
    let missing = OpenAIBackendConfig(
      baseURL: "http://127.0.0.1:1/v1", model: "m", apiKeyFile: dir.path + "/nope")
    XCTAssertThrowsError(try OpenAICompatibleModel(config: missing))
    XCTAssertThrowsError(
      try OpenAICompatibleModel(config: OpenAIBackendConfig(baseURL: "ftp://x", model: "m")))
  }
}
