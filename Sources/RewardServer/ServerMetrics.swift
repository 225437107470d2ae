import Foundation

/// Counters and latency histograms of the reward server, rendered in Prometheus' text exposition
/// format (version 0.0.4) at `GET /metrics`.
///
/// - `recheck_requests_total{route,status}`: requests answered.
/// - `recheck_request_seconds{route}`: latency histogram (cumulative `_bucket{le}`, `_sum`, `_count`).
/// - `recheck_verdicts_total{task,rule,correct}`: graded items.
/// - `recheck_rejected_total{route,reason}`: requests refused by the access policy (nothing ran).
public final class ServerMetrics: @unchecked Sendable {
  /// Upper bounds of the latency buckets, seconds.
  public static let buckets: [Double] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
  ]

  private struct Histogram {
    var counts = [Int](repeating: 0, count: ServerMetrics.buckets.count)
    var sum = 0.0
    var count = 0
  }

  private struct RequestKey: Hashable, Comparable {
    var route: String
    var status: Int
    static func < (a: Self, b: Self) -> Bool { (a.route, a.status) < (b.route, b.status) }
  }

  private struct VerdictKey: Hashable, Comparable {
    var task: String
    var rule: String
    var correct: Bool
    static func < (a: Self, b: Self) -> Bool {
      (a.task, a.rule, a.correct ? 1 : 0) < (b.task, b.rule, b.correct ? 1 : 0)
    }
  }

  private struct RejectKey: Hashable, Comparable {
    var route: String
    var reason: String
    static func < (a: Self, b: Self) -> Bool { (a.route, a.reason) < (b.route, b.reason) }
  }

  private let lock = NSLock()
  private var requests: [RequestKey: Int] = [:]
  private var latency: [String: Histogram] = [:]
  private var verdicts: [VerdictKey: Int] = [:]
  private var rejected: [RejectKey: Int] = [:]

  public init() {}

  public func recordRequest(route: String, status: Int, seconds: Double) {
    lock.withLock {
      requests[RequestKey(route: route, status: status), default: 0] += 1
      var h = latency[route] ?? Histogram()
      if let b = Self.buckets.firstIndex(where: { seconds <= $0 }) { h.counts[b] += 1 }
      h.sum += seconds
      h.count += 1
      latency[route] = h
    }
  }

  public func recordVerdict(task: String, rule: String, correct: Bool) {
    lock.withLock { verdicts[VerdictKey(task: task, rule: rule, correct: correct), default: 0] += 1 }
  }

  /// A request refused before anything ran (401 no/wrong secret, 403 address not allowed); it also
  /// counts as answered with that status.
  public func recordRejected(route: String, status: Int, reason: String) {
    recordRequest(route: route, status: status, seconds: 0)
    lock.withLock { rejected[RejectKey(route: route, reason: reason), default: 0] += 1 }
  }

  /// Refused requests for a route and reason (tests).
  public func rejectedCount(route: String, reason: String) -> Int {
    lock.withLock { rejected[RejectKey(route: route, reason: reason)] ?? 0 }
  }

  /// Requests answered for a route with a status (tests, logs).
  public func requestCount(route: String, status: Int) -> Int {
    lock.withLock { requests[RequestKey(route: route, status: status)] ?? 0 }
  }

  public func render() -> String {
    lock.withLock {
      var out = "# HELP recheck_requests_total Requests answered, by route and HTTP status.\n"
      out += "# TYPE recheck_requests_total counter\n"
      for (k, v) in requests.sorted(by: { $0.key < $1.key }) {
        out += "recheck_requests_total{route=\"\(k.route)\",status=\"\(k.status)\"} \(v)\n"
      }
      out += "# HELP recheck_request_seconds Request latency, seconds.\n"
      out += "# TYPE recheck_request_seconds histogram\n"
      for (route, h) in latency.sorted(by: { $0.key < $1.key }) {
        var cumulative = 0
        for (b, le) in Self.buckets.enumerated() {
          cumulative += h.counts[b]
          out += "recheck_request_seconds_bucket{route=\"\(route)\",le=\"\(le)\"} \(cumulative)\n"
        }
        out += "recheck_request_seconds_bucket{route=\"\(route)\",le=\"+Inf\"} \(h.count)\n"
        out += "recheck_request_seconds_sum{route=\"\(route)\"} \(h.sum)\n"
        out += "recheck_request_seconds_count{route=\"\(route)\"} \(h.count)\n"
      }
      out += "# HELP recheck_verdicts_total Graded items, by task, deciding rule and correctness.\n"
      out += "# TYPE recheck_verdicts_total counter\n"
      for (k, v) in verdicts.sorted(by: { $0.key < $1.key }) {
        out +=
          "recheck_verdicts_total{task=\"\(Self.escape(k.task))\",rule=\"\(Self.escape(k.rule))\",correct=\"\(k.correct)\"} \(v)\n"
      }
      out += "# HELP recheck_rejected_total Requests refused by the access policy (nothing ran).\n"
      out += "# TYPE recheck_rejected_total counter\n"
      for (k, v) in rejected.sorted(by: { $0.key < $1.key }) {
        out += "recheck_rejected_total{route=\"\(k.route)\",reason=\"\(k.reason)\"} \(v)\n"
      }
      return out
    }
  }

  /// Label values are client-chosen (task names): escape as the exposition format requires.
  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
  }
}
