import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What one spawned process tree did: its output (each stream cut at the cap), the harness's result
/// channel (fd 4), and how it ended.
struct SandboxOutcome {
  var stdout: [UInt8] = []
  var stderr: [UInt8] = []
  var result: [UInt8] = []
  var timedOut = false
  var outputExceeded = false
  /// Raw wait status of the spawned process.
  var status: Int32 = 0
  var cpuSeconds = 0.0
  var wallSeconds = 0.0
}

enum SandboxProcessError: Error, CustomStringConvertible {
  case system(String, Int32)
  case invalid(String)
  var description: String {
    switch self {
    case .system(let call, let err): return "\(call) failed: \(String(cString: strerror(err)))"
    case .invalid(let why): return why
    }
  }
}

/// posix_spawn with the child in a new session (so the whole process group can be SIGKILLed), stdin from
/// `stdinFD` (or /dev/null when it is negative), stdout/stderr/result pipes on fds 1, 2, 4, `jobFD` on fd 3 and every other fd closed.
/// Foundation's Process is avoided: it cannot start a new session or place fds 3 and 4.
enum SandboxProcess {
  static func run(
    argv: [String], env: [String], jobFD: Int32, stdinFD: Int32 = -1, wallSeconds: Double, outputCap: Int
  ) throws -> SandboxOutcome {
    let start = Date()
    let out = try makePipe(), err = try makePipe(), res = try makePipe()
    let parentEnds = [out.read, err.read, res.read]
    let childEnds = [out.write, err.write, res.write]
    defer { for fd in parentEnds { close(fd) } }
    let pid: pid_t
    do {
      defer { for fd in childEnds { close(fd) } }
      let input = stdinFD >= 0 ? [(stdinFD, Int32(0))] : []
      pid = try spawn(
        argv: argv, env: env, fds: input + [(out.write, 1), (err.write, 2), (jobFD, 3), (res.write, 4)])
    }
    let deadline = start.addingTimeInterval(wallSeconds)
    var outcome = drain(parentEnds, deadline: deadline, outputCap: outputCap)
    // The pipes are closed (or we gave up on them); the tree may still run with its fds closed.
    // Wait for the leader to exit without reaping it, so its pid still names the process group.
    while !outcome.timedOut && !outcome.outputExceeded && !leaderExited(pid) {
      if deadline.timeIntervalSinceNow <= 0 {
        outcome.timedOut = true
        break
      }
      usleep(1000)
    }
    killpg(pid, SIGKILL)
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    outcome.status = status
    outcome.cpuSeconds =
      Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
      + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    outcome.wallSeconds = Date().timeIntervalSince(start)
    return outcome
  }

  /// Reads stdout, stderr and the result channel (`ends`, in that order) until all reach EOF, the
  /// deadline passes (`timedOut`) or the output passes `outputCap` (`outputExceeded`); streams are cut
  /// at the cap.
  static func drain(_ ends: [Int32], deadline: Date, outputCap: Int) -> SandboxOutcome {
    var outcome = SandboxOutcome()
    var polls = ends.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    var buffer = [UInt8](repeating: 0, count: 65536)
    readLoop: while polls.contains(where: { $0.fd >= 0 }) {
      let remaining = deadline.timeIntervalSinceNow
      if remaining <= 0 {
        outcome.timedOut = true
        break
      }
      let ready = poll(&polls, nfds_t(polls.count), Int32(min(remaining * 1000 + 1, 1000)))
      if ready < 0 && errno != EINTR { break }
      for i in polls.indices where polls[i].fd >= 0 && polls[i].revents != 0 {
        let n = read(polls[i].fd, &buffer, buffer.count)
        if n <= 0 {
          if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
          polls[i].fd = -1
          continue
        }
        let chunk = buffer[0..<n]
        switch i {
        case 0: outcome.stdout += chunk
        case 1: outcome.stderr += chunk
        default: if outcome.result.count < 65536 { outcome.result += chunk }
        }
        if outcome.stdout.count + outcome.stderr.count > outputCap {
          outcome.outputExceeded = true
          break readLoop
        }
      }
    }
    outcome.stdout = Array(outcome.stdout.prefix(outputCap))
    outcome.stderr = Array(outcome.stderr.prefix(outputCap))
    return outcome
  }

  /// Whether `pid` has exited, leaving it unreaped (WNOWAIT).
  private static func leaderExited(_ pid: pid_t) -> Bool {
    var info = siginfo_t()
    let rc = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
    return rc < 0 || info.si_signo == SIGCHLD
  }

  /// A CLOEXEC pipe whose ends are numbered ≥ 10, so the dup2 actions onto 1–4 never collide. (A spawn
  /// racing with the moment before CLOEXEC is set still closes them: see `closeFrom`.)
  static func makePipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw SandboxProcessError.system("pipe", errno) }
    let r = fcntl(fds[0], F_DUPFD_CLOEXEC, 10), w = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
    close(fds[0])
    close(fds[1])
    guard r >= 0, w >= 0 else { throw SandboxProcessError.system("fcntl", errno) }
    return (r, w)
  }

  /// glibc's POSIX_SPAWN_SETSID (spawn.h, 2.26+), hidden from Swift behind _GNU_SOURCE.
  private static let posixSpawnSetSID: Int32 = 0x80

  /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), looked up at run time for the same
  /// reason; the harness closes fds ≥ 5 itself as well.
  private typealias CloseFrom =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32)
    -> Int32
  private static let closeFrom: CloseFrom? = {
    guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    else { return nil }
    return unsafeBitCast(sym, to: CloseFrom.self)
  }()

  static func spawn(argv: [String], env: [String], fds: [(Int32, Int32)]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if !fds.contains(where: { $0.1 == 0 }) {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    for (source, target) in fds { posix_spawn_file_actions_adddup2(&actions, source, target) }
    if let closeFrom = closeFrom { _ = closeFrom(&actions, (fds.map(\.1).max() ?? 2) + 1) }
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attr, &mask)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for sig in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGXCPU, SIGXFSZ, SIGALRM, SIGUSR1] {
      sigaddset(&defaults, sig)
    }
    posix_spawnattr_setsigdefault(&attr, &defaults)
    posix_spawnattr_setflags(
      &attr, Int16(posixSpawnSetSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup($0) } + [nil]
    defer { for p in cArgv + cEnv { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, &attr, cArgv, cEnv)
    guard rc == 0 else { throw SandboxProcessError.system("posix_spawn \(argv[0])", rc) }
    return pid
  }
}
