import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP listener on 127.0.0.1 (ephemeral port) in the test's own network namespace, to check that a
/// sandboxed program cannot reach it. Loopback only: nothing leaves the machine.
final class LoopbackListener {
  let fd: Int32
  let port: UInt16

  init() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) { p in
      p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
        bind(fd, sa, len) == 0 && listen(fd, 4) == 0 && getsockname(fd, sa, &len) == 0
      }
    }
    guard ok else { throw NSError(domain: "LoopbackListener", code: Int(errno)) }
    self.fd = fd
    port = UInt16(bigEndian: addr.sin_port)
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
  }

  func acceptedAConnection() -> Bool {
    let c = accept(fd, nil, nil)
    if c >= 0 { Glibc.close(c) }
    return c >= 0
  }

  func close() { Glibc.close(fd) }
}
