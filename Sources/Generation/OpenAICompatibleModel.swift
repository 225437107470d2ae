import Foundation
import TensorCore
import Tokenizers

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `LanguageModel` over an OpenAI-compatible HTTP server (vLLM, llama.cpp, llama-cpp-python, SGLang,
/// OpenAI): `.text` prompts go to `POST {baseURL}/completions`, `.chat` prompts to
/// `POST {baseURL}/chat/completions`.
///
/// - Samples: with `nativeN` off (default) sample j of a request is its own HTTP call with `n = 1` and
///   seed `seed + j` (the `CompletionRequest` contract, reproducible on servers that ignore `n`); with
///   it on, one call asks for `n` (missing choices are topped up one by one).
/// - Seeds are sent modulo 2³¹ (llama.cpp's seeds are 32-bit, and 0xFFFFFFFF there means "random").
/// - `logProbs` are filled when the server returns them (`requestLogProbs`), `tokens` when it returns
///   ids (`requestTokenIDs`: vLLM, llama.cpp); otherwise both are empty.
/// - `finishReason`: `length` → `.length`; `stop` → `.stopString` when the server names the stop
///   string (vLLM `stop_reason`), else `.stopToken`.
/// - At most `maxConcurrency` requests are in flight; 408/429/5xx and transport failures are retried
///   with seeded exponential backoff (`BackoffSchedule`); other 4xx fail at once with the server's message.
public final class OpenAICompatibleModel: LanguageModel {
  public let name: String
  public let config: OpenAIBackendConfig
  private let apiKey: String?
  private let root: String
  private let session: URLSession
  private let semaphore: AsyncSemaphore

  public init(config: OpenAIBackendConfig, name: String? = nil) throws {
    var root = config.baseURL
    while root.hasSuffix("/") { root.removeLast() }
    guard let url = URL(string: root), let scheme = url.scheme, scheme == "http" || scheme == "https",
      url.host != nil
    else {
      throw OpenAIBackendError.configuration("baseURL must be an http(s) URL, got \"\(config.baseURL)\"")
    }
    self.root = root
    self.config = config
    self.name = name ?? "openai:\(config.model)"
    self.apiKey = try config.resolvedAPIKey()
    self.semaphore = AsyncSemaphore(limit: config.maxConcurrency)
    let sc = URLSessionConfiguration.ephemeral
    sc.timeoutIntervalForRequest = config.timeout
    sc.timeoutIntervalForResource = config.timeout
    sc.httpMaximumConnectionsPerHost = max(1, config.maxConcurrency)
    sc.requestCachePolicy = .reloadIgnoringLocalCacheData
    self.session = URLSession(configuration: sc)
  }

  deinit { session.finishTasksAndInvalidate() }

  public func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
    // One call per (request, first sample, samples asked); results land at their (r, j) slots.
    struct Call: Sendable {
      var r: Int
      var j: Int
      var n: Int
    }
    var calls: [Call] = []
    for (r, req) in requests.enumerated() where req.n > 0 {
      if config.nativeN {
        calls.append(Call(r: r, j: 0, n: req.n))
      } else {
        for j in 0..<req.n { calls.append(Call(r: r, j: j, n: 1)) }
      }
    }
    var results = requests.map { [GeneratedSequence?](repeating: nil, count: max(0, $0.n)) }
    try await withThrowingTaskGroup(of: (Call, [GeneratedSequence]).self) { group in
      for (k, call) in calls.enumerated() {
        let req = requests[call.r]
        group.addTask {
          (call, try await self.sample(req, first: call.j, count: call.n, jitterStream: UInt64(k)))
        }
      }
      for try await (call, seqs) in group {
        for (i, s) in seqs.prefix(call.n).enumerated() { results[call.r][call.j + i] = s }
      }
    }
    // Servers that ignore `n` return fewer choices: top up the missing samples one by one.
    for r in results.indices {
      for j in results[r].indices where results[r][j] == nil {
        results[r][j] = try await sample(
          requests[r], first: j, count: 1, jitterStream: UInt64(1 << 32 | r << 16 | j)
        )
        .first
        if results[r][j] == nil { throw OpenAIBackendError.badResponse("the server returned no choices") }
      }
    }
    return results.map { $0.map { $0! } }
  }

  /// `count` samples of `req` starting at sample index `first` (seed `req.seed + first`).
  func sample(_ req: CompletionRequest, first: Int, count: Int, jitterStream: UInt64) async throws
    -> [GeneratedSequence]
  {
    let body = requestBody(req, first: first, count: count)
    let path = body.messages == nil ? "/completions" : "/chat/completions"
    let data = try await post(path, body: try JSONEncoder().encode(body), jitterStream: jitterStream)
    let decoded: OpenAIResponseBody
    do {
      decoded = try JSONDecoder().decode(OpenAIResponseBody.self, from: data)
    } catch {
      throw OpenAIBackendError.badResponse("\(path): \(error)")
    }
    let choices = decoded.choices.enumerated().sorted {
      ($0.element.index ?? $0.offset) < ($1.element.index ?? $1.offset)
    }
    return choices.map { Self.sequence($0.element) }
  }

  func requestBody(_ req: CompletionRequest, first: Int, count: Int) -> OpenAIRequestBody {
    let p = req.params
    var body = OpenAIRequestBody(
      model: config.model, prompt: nil, messages: nil, n: count, temperature: p.temperature, topP: p.topP,
      topK: (p.topK ?? 0) > 0 ? p.topK : nil, maxTokens: p.maxNewTokens,
      stop: p.stopStrings.isEmpty ? nil : p.stopStrings,
      seed: Int((req.seed &+ UInt64(first)) % (1 << 31)), logprobs: nil,
      stopTokenIDs: p.stopTokenIDs.isEmpty ? nil : p.stopTokenIDs, returnTokenIDs: nil, returnTokens: nil)
    switch req.prompt {
    case .text(let s):
      body.prompt = s
      if config.requestLogProbs { body.logprobs = .count(1) }
    case .chat(let messages):
      body.messages = messages
      if config.requestLogProbs { body.logprobs = .flag(true) }
    }
    if config.requestTokenIDs {
      body.returnTokenIDs = true
      body.returnTokens = true
    }
    return body
  }

  static func sequence(_ c: OpenAIResponseBody.Choice) -> GeneratedSequence {
    let text = c.text ?? c.message?.content ?? ""
    let reason: FinishReason
    switch (c.finishReason, c.stopReason) {
    case ("length", _): reason = .length
    case (_, .string?): reason = .stopString
    default: reason = .stopToken
    }
    return GeneratedSequence(
      tokens: c.tokenIDs ?? c.tokens ?? [], text: text, logProbs: c.logprobs?.values ?? [],
      finishReason: reason)
  }

  /// POSTs JSON with retries; returns the 2xx body.
  func post(_ path: String, body: Data, jitterStream: UInt64) async throws -> Data {
    guard let url = URL(string: root + path) else {
      throw OpenAIBackendError.configuration("bad URL \(root + path)")
    }
    var building = URLRequest(url: url, timeoutInterval: config.timeout)
    building.httpMethod = "POST"
    building.httpBody = body
    building.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let apiKey { building.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
    let request = building
    var backoff = BackoffSchedule(
      initialDelay: config.initialBackoff, maxDelay: config.maxBackoff,
      seed: config.jitterSeed ^ (jitterStream &* 0x9E37_79B9_7F4A_7C15))
    var attempt = 0
    while true {
      let failure: OpenAIBackendError
      var retryAfter: Double?
      do {
        let (status, data, retryField) = try await semaphore.withSlot { try await self.exchange(request) }
        if (200..<300).contains(status) { return data }
        failure = .http(status: status, message: redact(OpenAIBackendError.serverMessage(data)))
        retryAfter = retryField.flatMap { Double($0) }
      } catch let e as OpenAIBackendError {
        throw e
      } catch is CancellationError {
        throw CancellationError()
      } catch let e as PlainHTTPClient.Failure {
        if Task.isCancelled { throw CancellationError() }
        if case .badURL = e { throw OpenAIBackendError.configuration(e.description) }
        failure = .transport("\(path): \(e)")
      } catch let e as URLError {
        if e.code == .cancelled, Task.isCancelled { throw CancellationError() }
        failure = .transport("\(path): \(Self.describe(e))")
      } catch {
        failure = .transport("\(path): \(error.localizedDescription)")
      }
      guard failure.isRetryable else { throw failure }
      guard attempt < config.maxRetries else {
        throw OpenAIBackendError.retriesExhausted(attempts: attempt + 1, last: failure)
      }
      try await Task.sleep(for: .seconds(backoff.delay(retry: attempt, retryAfter: retryAfter)))
      attempt += 1
    }
  }

  /// One HTTP exchange: plain `http://` through `PlainHTTPClient` (URLSession on Linux keeps a core
  /// busy while it waits), `https://` through URLSession. Returns (status, body, Retry-After).
  func exchange(_ request: URLRequest) async throws -> (Int, Data, String?) {
    guard let url = request.url, url.scheme == "http" else {
      let (data, response) = try await session.data(for: request)
      guard let http = response as? HTTPURLResponse else {
        throw OpenAIBackendError.badResponse("not an HTTP response")
      }
      return (http.statusCode, data, http.value(forHTTPHeaderField: "Retry-After"))
    }
    let headers = (request.allHTTPHeaderFields ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    let response = try await PlainHTTPClient.send(
      method: request.httpMethod ?? "GET", url: url, headers: headers, body: request.httpBody ?? Data(),
      timeout: config.timeout)
    return (response.status, response.body, response.headers["retry-after"])
  }

  /// Servers sometimes echo the request's key in their error text; it never leaves in ours.
  func redact(_ message: String) -> String {
    guard let apiKey, !apiKey.isEmpty else { return message }
    return message.replacingOccurrences(of: apiKey, with: "<redacted>")
  }

  static func describe(_ e: URLError) -> String {
    switch e.code {
    case .timedOut: return "timed out"
    case .cannotConnectToHost: return "connection refused"
    case .networkConnectionLost: return "connection lost"
    case .cannotFindHost: return "host not found"
    default: return "URL error \(e.code.rawValue)"
    }
  }
}
