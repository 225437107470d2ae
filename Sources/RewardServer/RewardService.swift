import Foundation
import Generation
import Verifiers

/// Settings of `recheck serve` (CLI flags → this struct → the server).
public struct RewardServerConfig: Codable, Sendable, Equatable {
  /// Loopback by default: the server runs model-written code on request and must not face a network.
  public var host: String
  /// 0 picks a free port (tests).
  public var port: Int
  /// Larger bodies get 413.
  public var maxBodyBytes: Int
  /// Longer requests get 504 (grading is cancelled between items).
  public var requestTimeoutSeconds: Double
  /// Sandbox runs at once, over all requests.
  public var codeConcurrency: Int
  /// Per-program wall-clock limit for code tasks (SCoRe spec §5.2: 10 s).
  public var codeTimeoutSeconds: Double
  /// Upper bound for `run_timeout` requested on `/run_code`.
  public var maxRunTimeoutSeconds: Double
  /// Larger `stdin` on `/run_code` gets 413 naming the field.
  public var maxStdinBytes: Int
  /// Upper bound for `memory_limit_MB` on `/run_code` (larger requests get this cap).
  public var maxMemoryMB: Int
  /// Who may call; nil: anyone who reaches the socket (loopback only, unless `insecure`).
  public var access: AccessPolicy?
  /// Serve a non-loopback address without a secret (`--insecure`).
  public var insecure: Bool

  public init(
    host: String = "127.0.0.1", port: Int = 8088, maxBodyBytes: Int = 8 << 20,
    requestTimeoutSeconds: Double = 120,
    codeConcurrency: Int = 4, codeTimeoutSeconds: Double = 10, maxRunTimeoutSeconds: Double = 60,
    maxStdinBytes: Int = 4 << 20, maxMemoryMB: Int = 4096, access: AccessPolicy? = nil, insecure: Bool = false
  ) {
    self.insecure = insecure
    self.maxStdinBytes = maxStdinBytes
    self.maxMemoryMB = maxMemoryMB
    self.access = access
    self.host = host
    self.port = port
    self.maxBodyBytes = maxBodyBytes
    self.requestTimeoutSeconds = requestTimeoutSeconds
    self.codeConcurrency = codeConcurrency
    self.codeTimeoutSeconds = codeTimeoutSeconds
    self.maxRunTimeoutSeconds = maxRunTimeoutSeconds
  }
}

/// A failure that becomes an HTTP status and a JSON body `{"error": message}`.
public enum RewardServiceError: Error, Equatable, Sendable {
  case badRequest(String)
  case payloadTooLarge(String)
  case unavailable(String)
  case timeout(String)

  public var status: Int {
    switch self {
    case .badRequest: return 400
    case .payloadTooLarge: return 413
    case .unavailable: return 503
    case .timeout: return 504
    }
  }

  public var message: String {
    switch self {
    case .badRequest(let m), .payloadTooLarge(let m), .unavailable(let m), .timeout(let m): return m
    }
  }
}

/// An HTTP-free reply: status and JSON body.
public struct ServiceReply: Sendable {
  public var status: Int
  public var body: Data
  public var contentType: String

  public init(status: Int, body: Data, contentType: String = "application/json") {
    self.status = status
    self.body = body
    self.contentType = contentType
  }
}

/// The routes of the reward server as pure functions of the request body, so they are testable
/// without HTTP. Every outcome is a reply: malformed input is a 4xx with a JSON error, never a crash.
public final class RewardService: Sendable {
  public enum Route: String, Sendable, CaseIterable {
    case getReward = "get_reward"
    case verify
    case runCode = "run_code"
    case health
    case metrics
  }

  public let config: RewardServerConfig
  public let scorer: RewardScorer
  public let metrics = ServerMetrics()
  let limiter: AsyncSemaphore

  public init(config: RewardServerConfig = RewardServerConfig(), executor: (any CodeExecutor)? = nil) {
    self.config = config
    let limiter = AsyncSemaphore(limit: config.codeConcurrency)
    self.limiter = limiter
    self.scorer = RewardScorer(
      executor: executor.map { LimitedExecutor(base: $0, limiter: limiter) },
      codeTimeoutSeconds: config.codeTimeoutSeconds)
  }

  /// Answers one request and records it in `metrics`.
  public func handle(_ route: Route, body: Data) async -> ServiceReply {
    let start = ContinuousClock.now
    let reply: ServiceReply
    do {
      if body.count > config.maxBodyBytes {
        throw RewardServiceError.payloadTooLarge("request body exceeds \(config.maxBodyBytes) bytes")
      }
      reply = try await withTimeout(config.requestTimeoutSeconds) { try await self.dispatch(route, body) }
    } catch let e as RewardServiceError {
      reply = Self.error(e.status, e.message)
    } catch is CancellationError {
      reply = Self.error(503, "request cancelled")
    } catch {
      reply = Self.error(500, "internal error: \(error)")
    }
    metrics.recordRequest(
      route: route.rawValue, status: reply.status, seconds: (ContinuousClock.now - start).seconds)
    return reply
  }

  func dispatch(_ route: Route, _ body: Data) async throws -> ServiceReply {
    switch route {
    case .getReward: return try Self.json(await getReward(try Self.decode(GetRewardRequest.self, body)))
    case .verify: return try Self.json(await verify(try Self.decode(VerifyRequest.self, body)))
    case .runCode: return try Self.json(await runCode(try Self.decode(RunCodeRequest.self, body)))
    case .health: return ServiceReply(status: 200, body: Data(#"{"status":"ok"}"#.utf8))
    case .metrics:
      return ServiceReply(
        status: 200, body: Data(metrics.render().utf8), contentType: "text/plain; version=0.0.4")
    }
  }

  /// OpenRLHF: the response is `query[i]` minus its prefix `prompts[i]` (the whole query when it
  /// does not start with the prompt, e.g. a tokenizer round trip changed spaces).
  public func getReward(_ req: GetRewardRequest) async throws -> GetRewardResponse {
    guard req.labels.count == req.query.count, req.prompts.isEmpty || req.prompts.count == req.query.count
    else {
      throw RewardServiceError.badRequest(
        "query, prompts and labels must have equal lengths (got \(req.query.count), \(req.prompts.count), \(req.labels.count))"
      )
    }
    var out = GetRewardResponse(
      rewards: [], scores: [], extraLogs: ["format_ok": [], "extract_ok": [], "timeout": []])
    for i in req.query.indices {
      try Task.checkCancellation()
      let label: RewardLabel
      do { label = try RewardLabel.parse(req.labels[i]) } catch let e as RewardServiceError {
        throw RewardServiceError.badRequest("labels[\(i)]: \(e.message)")
      }
      let prompt = req.prompts.isEmpty ? "" : req.prompts[i]
      let query = req.query[i]
      let response =
        query.utf8.starts(with: prompt.utf8)
        ? String(decoding: query.utf8.dropFirst(prompt.utf8.count), as: UTF8.self) : query
      let v = try await scoreItem(response: response, label: label, index: i)
      out.rewards.append(v.reward)
      out.scores.append(v.score)
      out.extraLogs["format_ok", default: []].append(v.formatOK ? 1 : 0)
      out.extraLogs["extract_ok", default: []].append(v.extractOK ? 1 : 0)
      out.extraLogs["timeout", default: []].append(v.timeout ? 1 : 0)
    }
    return out
  }

  public func verify(_ req: VerifyRequest) async throws -> VerifyResponse {
    var results: [VerifyResult] = []
    results.reserveCapacity(req.items.count)
    for (i, item) in req.items.enumerated() {
      try Task.checkCancellation()
      let v = try await scoreItem(response: item.response, label: item.label, index: i)
      results.append(
        VerifyResult(
          id: item.id, correct: v.correct, reward: v.reward, score: v.score, extracted: v.extracted,
          rule: v.rule,
          detail: ["format_ok": v.formatOK, "extract_ok": v.extractOK, "timeout": v.timeout]))
    }
    return VerifyResponse(results: results)
  }

  /// SandboxFusion's `/run_code` for Python: stdin, files, the exit code the program gave.
  public func runCode(_ req: RunCodeRequest) async throws -> RunCodeResponse {
    guard req.language == "python" || req.language == "python3" else {
      throw RewardServiceError.badRequest(
        "language: \"\(req.language)\" is not supported (this server runs only \"python\")")
    }
    if req.stdin.utf8.count > config.maxStdinBytes {
      throw RewardServiceError.payloadTooLarge(
        "stdin: \(req.stdin.utf8.count) bytes exceed the limit of \(config.maxStdinBytes) (--max-stdin-bytes)"
      )
    }
    for (name, value) in [("run_timeout", req.runTimeout), ("compile_timeout", req.compileTimeout)] {
      if let value, !(value > 0) || !value.isFinite {
        throw RewardServiceError.badRequest("\(name): must be a positive number of seconds (got \(value))")
      }
    }
    guard let executor = scorer.executor else {
      throw RewardServiceError.unavailable("code sandbox not available")
    }
    // SandboxFusion's defaults: 10 s, and memory_limit_MB -1 = no limit of its own (ours applies).
    let timeout = min(req.runTimeout ?? 10, config.maxRunTimeoutSeconds)
    let memory = req.memoryLimitMB.flatMap { $0 > 0 ? min($0, config.maxMemoryMB) : nil }
    let run = ProgramRun(
      code: req.code, stdin: req.stdin, timeoutSeconds: timeout, memoryMB: memory, files: req.files)
    let outcome = await executor.run(run)
    metrics.recordVerdict(task: "run_code", rule: outcome.status.rawValue, correct: outcome.exitCode == 0)
    return RunCodeResponse(outcome)
  }

  func scoreItem(response: String, label: RewardLabel, index: Int) async throws -> RewardVerdict {
    do {
      let v = try await scorer.score(response: response, label: label)
      metrics.recordVerdict(task: label.task, rule: v.rule, correct: v.correct)
      return v
    } catch RewardServiceError.badRequest(let m) {
      throw RewardServiceError.badRequest("item \(index): \(m)")
    }
  }

  static func decode<T: Decodable>(_ type: T.Type, _ body: Data) throws -> T {
    do {
      return try JSONDecoder().decode(type, from: body)
    } catch let e as RewardServiceError {
      throw e
    } catch {
      throw RewardServiceError.badRequest("malformed request: \(describe(error))")
    }
  }

  static func json<T: Encodable>(_ value: T) throws -> ServiceReply {
    ServiceReply(status: 200, body: try JSONEncoder().encode(value))
  }

  static func error(_ status: Int, _ message: String) -> ServiceReply {
    let body = (try? JSONEncoder().encode(["error": message])) ?? Data(#"{"error":"unknown"}"#.utf8)
    return ServiceReply(status: status, body: body)
  }
}

/// An executor whose runs each hold a slot of the server-wide limiter.
struct LimitedExecutor: CodeExecutor {
  let base: any CodeExecutor
  let limiter: AsyncSemaphore

  func run(_ program: ProgramRun) async -> ProgramOutcome {
    await limiter.withSlot { await base.run(program) }
  }

  func check(program: String, tests: String, timeoutSeconds: Double) async -> TestOutcome {
    await limiter.withSlot {
      await base.check(program: program, tests: tests, timeoutSeconds: timeoutSeconds)
    }
  }
}

/// Runs `body`, throwing `RewardServiceError.timeout` after `seconds`. The reply does not wait for
/// the body to notice its cancellation (an executor may only stop at its own time limit).
func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T)
  async throws -> T
{
  let once = OnceFlag()
  let work = Task { try await body() }
  return try await withTaskCancellationHandler {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
      let timer = Task {
        do { try await Task.sleep(for: .seconds(seconds)) } catch { return }  // work finished first
        if once.claim() {
          work.cancel()
          continuation.resume(throwing: RewardServiceError.timeout("request took longer than \(seconds) s"))
        }
      }
      Task {
        let result = await Result(catching: { try await work.value })
        timer.cancel()
        if once.claim() { continuation.resume(with: result) }
      }
    }
  } onCancel: {
    work.cancel()
  }
}

/// True for the first caller of `claim` only.
final class OnceFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var claimed = false

  func claim() -> Bool {
    lock.withLock {
      defer { claimed = true }
      return !claimed
    }
  }
}

extension Result where Failure == any Error {
  init(catching body: () async throws -> Success) async {
    do { self = .success(try await body()) } catch { self = .failure(error) }
  }
}

extension Duration {
  var seconds: Double {
    let c = components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
  }
}
