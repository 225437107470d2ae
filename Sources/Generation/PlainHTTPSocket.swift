import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Non-blocking TCP socket calls of `PlainHTTPClient`, each waiting in poll(2) until `deadline`
/// (never spinning: a wait that returns without the event is re-entered only with the time left).
enum PlainHTTPSocket {
  /// Resolves `host` (name or IPv4/IPv6 literal) and connects to the first address that accepts.
  static func connect(host: String, port: Int, deadline: Date) throws -> Int32 {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    #if canImport(Glibc)
      hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #else
      hints.ai_socktype = SOCK_STREAM
    #endif
    var list: UnsafeMutablePointer<addrinfo>?
    let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    guard getaddrinfo(bare, String(port), &hints, &list) == 0, let first = list else {
      throw PlainHTTPClient.Failure.hostNotFound(host)
    }
    defer { freeaddrinfo(list) }
    var lastError = "no address"
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let a = entry {
      entry = a.pointee.ai_next
      let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
      if fd < 0 { continue }
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      var one: Int32 = 1
      _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
      if systemConnect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { return fd }
      guard errno == EINPROGRESS else {
        lastError = String(cString: strerror(errno))
        close(fd)
        continue
      }
      do {
        try wait(fd, events: Int16(POLLOUT), deadline: deadline)
      } catch {
        close(fd)
        throw error
      }
      var err: Int32 = 0
      var len = socklen_t(MemoryLayout<Int32>.size)
      _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
      if err == 0 { return fd }
      lastError = String(cString: strerror(err))
      close(fd)
    }
    throw PlainHTTPClient.Failure.connectionRefused("\(host):\(port): \(lastError)")
  }

  /// connect(2) (the module's own `connect` shadows the C name).
  static func systemConnect(_ fd: Int32, _ addr: UnsafePointer<sockaddr>?, _ len: socklen_t) -> Int32 {
    #if canImport(Glibc)
      Glibc.connect(fd, addr, len)
    #else
      Darwin.connect(fd, addr, len)
    #endif
  }

  /// Writes all of `bytes`.
  static func write(_ fd: Int32, _ bytes: [UInt8], deadline: Date) throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if n > 0 {
        offset += n
      } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
        try wait(fd, events: Int16(POLLOUT), deadline: deadline)
      } else {
        throw PlainHTTPClient.Failure.connectionLost("send: \(String(cString: strerror(errno)))")
      }
    }
  }

  /// Reads what is available into `buffer` (waiting for at least one byte); 0 at end of stream.
  static func read(_ fd: Int32, into buffer: inout [UInt8], deadline: Date) throws -> Int {
    while true {
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n >= 0 { return n }
      guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
        throw PlainHTTPClient.Failure.connectionLost("recv: \(String(cString: strerror(errno)))")
      }
      try wait(fd, events: Int16(POLLIN), deadline: deadline)
    }
  }

  /// Sleeps in poll(2) until `events` (or an error/hang-up, which the next call reports) or the deadline.
  static func wait(_ fd: Int32, events: Int16, deadline: Date) throws {
    while true {
      let ms = deadline.timeIntervalSinceNow * 1000
      guard ms > 0 else { throw PlainHTTPClient.Failure.timedOut }
      var p = pollfd(fd: fd, events: events, revents: 0)
      let r = poll(&p, 1, Int32(min(ms.rounded(.up), Double(Int32.max))))
      if r > 0 { return }
      if r < 0, errno != EINTR {
        throw PlainHTTPClient.Failure.connectionLost("poll: \(String(cString: strerror(errno)))")
      }
    }
  }
}
