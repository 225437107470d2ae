import Foundation
import TensorCore

/// Failures of `OpenAICompatibleModel`. Messages carry the server's own error text and the HTTP
/// status, never the API key or request headers.
public enum OpenAIBackendError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Bad settings (unreadable key file, malformed base URL).
  case configuration(String)
  /// The server answered with a non-2xx status; `message` is its `error.message` (or the body head).
  case http(status: Int, message: String)
  /// No HTTP answer: connection refused/reset, DNS, timeout.
  case transport(String)
  /// A 2xx answer we could not read.
  case badResponse(String)
  /// Retryable failures persisted; `last` is the final one.
  indirect case retriesExhausted(attempts: Int, last: OpenAIBackendError)

  public var description: String {
    switch self {
    case .configuration(let m): return "OpenAI backend configuration: \(m)"
    case .http(let status, let m): return "OpenAI server answered HTTP \(status): \(m)"
    case .transport(let m): return "OpenAI server unreachable: \(m)"
    case .badResponse(let m): return "OpenAI server sent an unreadable response: \(m)"
    case .retriesExhausted(let n, let last): return "giving up after \(n) attempts; last error: \(last)"
    }
  }

  /// Worth retrying: rate limits (429), request timeouts (408), server errors (5xx) and transport
  /// failures. Other 4xx mean the request itself is wrong and repeat identically.
  public var isRetryable: Bool {
    switch self {
    case .http(let status, _): return Self.isRetryable(status: status)
    case .transport: return true
    case .configuration, .badResponse, .retriesExhausted: return false
    }
  }

  public static func isRetryable(status: Int) -> Bool {
    status == 408 || status == 429 || (500...599).contains(status)
  }

  /// The server's message from an OpenAI-style error body `{"error": {"message": …}}` (also
  /// `{"error": "…"}`, `{"detail": …}` of FastAPI servers), else the body's first 500 characters.
  public static func serverMessage(_ body: Data) -> String {
    if let obj = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
      if let err = obj["error"] as? [String: Any], let m = err["message"] as? String { return m }
      if let m = obj["error"] as? String { return m }
      if let m = obj["message"] as? String { return m }
      if let d = obj["detail"] {
        if let s = d as? String { return s }
        if let data = try? JSONSerialization.data(withJSONObject: d),
          let s = String(data: data, encoding: .utf8)
        {
          return String(s.prefix(500))
        }
      }
    }
    let text = String(decoding: body.prefix(2000), as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    return text.isEmpty ? "(empty body)" : String(text.prefix(500))
  }
}

/// Exponential backoff with seeded jitter: delay(k) = min(maxDelay, initial·2^k)·U[0.5, 1), where k
/// counts retries from 0. A server's `Retry-After` (seconds) raises the delay to at least that, capped
/// at `maxDelay`.
///
/// Example: initial 0.5, max 30: k = 0 waits in [0.25, 0.5), k = 3 in [2, 4), k = 10 in [15, 30).
public struct BackoffSchedule: Sendable {
  public var initialDelay: Double
  public var maxDelay: Double
  private var rng: SeededRNG

  public init(initialDelay: Double, maxDelay: Double, seed: UInt64) {
    self.initialDelay = initialDelay
    self.maxDelay = maxDelay
    self.rng = SeededRNG(seed: seed)
  }

  public mutating func delay(retry k: Int, retryAfter: Double? = nil) -> Double {
    let base = min(maxDelay, initialDelay * pow(2, Double(min(k, 60))))
    let u = Double(rng.next() >> 11) / Double(1 << 53)
    let jittered = base * (0.5 + 0.5 * u)
    guard let retryAfter, retryAfter > 0 else { return jittered }
    return min(maxDelay, max(jittered, retryAfter))
  }
}
