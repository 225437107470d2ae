import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A small HTTP/1.1 client for plain `http://` URLs over POSIX sockets: one connection per request
/// (`Connection: close`), the whole exchange bounded by one deadline, waiting in poll(2).
///
/// Why not URLSession: FoundationNetworking on Linux watches its libcurl sockets through dispatch
/// sources that keep firing while a response is pending. Measured on the 2-core VM: one request
/// that a local llama.cpp server took 3.5 s to answer cost the client 3.5 s of CPU (user 1.0 s +
/// sys 2.5 s) — a whole core taken from the server it waits for; `recheck s2r collect` through
/// `--api-base` spent 68 s of CPU in 170 s. Here the waiting thread sleeps in poll(2).
/// `https://` stays on URLSession (TLS is not ours to write).
///
/// Each request blocks a thread of its own (not the cooperative pool); `OpenAICompatibleModel`
/// bounds how many run at once. Cancelling the calling task shuts the socket down, which ends the
/// blocked read at once.
public enum PlainHTTPClient {
  public struct Response: Sendable, Equatable {
    public var status: Int
    /// Header fields, names lower-cased (a repeated field keeps its last value).
    public var headers: [String: String]
    public var body: Data
  }

  public enum Failure: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    case hostNotFound(String)
    case connectionRefused(String)
    case timedOut
    case connectionLost(String)
    case malformed(String)

    public var description: String {
      switch self {
      case .badURL(let u): return "bad URL \(u)"
      case .hostNotFound(let h): return "host not found: \(h)"
      case .connectionRefused(let m): return "connection refused (\(m))"
      case .timedOut: return "timed out"
      case .connectionLost(let m): return "connection lost (\(m))"
      case .malformed(let m): return "malformed HTTP response: \(m)"
      }
    }
  }

  /// Sends one request and returns the whole response; `timeout` bounds connect + send + receive.
  public static func send(
    method: String, url: URL, headers: [(String, String)] = [], body: Data = Data(), timeout: Double
  ) async throws -> Response {
    let socket = SocketBox()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Response, Error>) in
        let thread = Thread {
          continuation.resume(
            with: Result {
              try exchange(
                method: method, url: url, headers: headers, body: body, timeout: timeout, box: socket)
            })
        }
        thread.stackSize = 1 << 20
        thread.start()
      }
    } onCancel: {
      socket.shutDown()
    }
  }

  /// The request's bytes: request line, Host, Content-Length, `Connection: close`, `headers`, body.
  ///
  /// Example: `POST http://127.0.0.1:8080/v1/completions` with body `{}` →
  /// `"POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 2\r\n`
  /// `Connection: close\r\n\r\n{}"`.
  public static func requestBytes(method: String, url: URL, headers: [(String, String)], body: Data) throws
    -> [UInt8]
  {
    guard let parts = URLComponents(url: url, resolvingAgainstBaseURL: false), let host = parts.host else {
      throw Failure.badURL(url.absoluteString)
    }
    var target = parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath
    if let q = parts.percentEncodedQuery { target += "?" + q }
    var hostField = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    if let port = parts.port { hostField += ":\(port)" }
    var head = "\(method) \(target) HTTP/1.1\r\nHost: \(hostField)\r\nContent-Length: \(body.count)\r\n"
    head += "Connection: close\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "\r\n"
    return Array(head.utf8) + Array(body)
  }

  /// Connects, sends, reads until the response is complete (Content-Length, chunked end, or EOF).
  static func exchange(
    method: String, url: URL, headers: [(String, String)], body: Data, timeout: Double, box: SocketBox
  ) throws -> Response {
    guard url.scheme == "http", let host = url.host else { throw Failure.badURL(url.absoluteString) }
    let request = try requestBytes(method: method, url: url, headers: headers, body: body)
    let deadline = Date().addingTimeInterval(timeout)
    let fd = try PlainHTTPSocket.connect(host: host, port: url.port ?? 80, deadline: deadline)
    guard box.adopt(fd) else {  // cancelled before the socket existed
      close(fd)
      throw CancellationError()
    }
    defer { box.closeSocket() }
    try PlainHTTPSocket.write(fd, request, deadline: deadline)
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      if let done = try HTTPResponseParser.parse(received, atEOF: false) { return done }
      let n = try PlainHTTPSocket.read(fd, into: &buffer, deadline: deadline)
      if n == 0 {
        guard let done = try HTTPResponseParser.parse(received, atEOF: true) else {
          throw Failure.connectionLost("closed after \(received.count) bytes")
        }
        return done
      }
      received += buffer[0..<n]
    }
  }
}

/// The socket of one request, shared with the cancellation handler (which may run on any thread).
final class SocketBox: @unchecked Sendable {
  private let lock = NSLock()
  private var fd: Int32 = -1
  private var cancelled = false

  /// Takes ownership of `fd`; false when the request was cancelled first.
  func adopt(_ fd: Int32) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    if cancelled { return false }
    self.fd = fd
    return true
  }

  func shutDown() {
    lock.lock()
    defer { lock.unlock() }
    cancelled = true
    if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
  }

  func closeSocket() {
    lock.lock()
    defer { lock.unlock() }
    if fd >= 0 { close(fd) }
    fd = -1
  }
}
