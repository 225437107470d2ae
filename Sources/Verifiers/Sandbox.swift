import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs untrusted Python (a program plus the tests that judge it) in a child process tree:
///
///     recheck ─posix_spawn(setsid)→ unshare --net --pid --fork --kill-child → python3 -I -S -B harness
///
/// The harness (`SandboxHarness`) reads the job from fd 3 (an unlinked file, so no path leads back to it),
/// sets the rlimits, drops to `sandboxUID` when running as root, and passes only by writing this run's
/// random nonce to fd 4 after the tests' last line ran. Each run gets a fresh work dir (HOME and TMPDIR
/// point into it) that is removed afterwards, and the whole process group is SIGKILLed at the end.
/// `run` may be called from many tasks at once; at most `config.concurrency` programs run at a time.
public final class Sandbox: Sendable {
  public let config: SandboxConfig
  public let capabilities: SandboxCapabilities
  private let limiter: SandboxLimiter
  /// Pre-started interpreters (`SandboxForkServer`); nil when disabled or namespaces are unavailable.
  let forkServers: SandboxForkServerPool?
  /// Stdin for fork-server jobs without input (a spawn opens /dev/null itself).
  private let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)

  deinit { close(devNull) }

  public init(config: SandboxConfig = SandboxConfig()) {
    self.config = config
    self.limiter = SandboxLimiter(limit: config.concurrency)
    var capabilities = Sandbox.probe(config)
    var pool: SandboxForkServerPool?
    if config.forkServer && capabilities.namespaces != .none {
      let argv = Sandbox.argv(
        capabilities, config,
        python: [config.python, "-I", "-S", "-B", "-c", SandboxHarness.source, "zygote"])
      let env = ["PATH=/usr/bin:/bin", "HOME=/", "LANG=C.UTF-8", "PYTHONHASHSEED=0"]
      let candidate = SandboxForkServerPool { try SandboxForkServer(argv: argv, env: env) }
      // Start one now: if this machine cannot make nested PID namespaces, spawn per job instead.
      if let first = try? candidate.take() {
        candidate.giveBack(first)
        pool = candidate
        capabilities.forkServer = true
      }
    }
    self.forkServers = pool
    self.capabilities = capabilities
  }

  /// Runs `job`, waiting for a free slot first.
  public func run(_ job: SandboxJob) async -> SandboxResult {
    await limiter.acquire()
    let result = await withCheckedContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(returning: self.runBlocking(job)) }
    }
    await limiter.release()
    return result
  }

  /// Runs every job (at most `config.concurrency` at once); results in the order of `jobs`.
  public func runAll(_ jobs: [SandboxJob]) async -> [SandboxResult] {
    await withTaskGroup(of: (Int, SandboxResult).self) { group in
      for (i, job) in jobs.enumerated() { group.addTask { (i, await self.run(job)) } }
      var results = [SandboxResult?](repeating: nil, count: jobs.count)
      for await (i, result) in group { results[i] = result }
      return results.map { $0! }
    }
  }

  /// Runs `job` on the calling thread, ignoring the concurrency limit.
  public func runBlocking(_ job: SandboxJob) -> SandboxResult {
    var nonceGenerator = SystemRandomNumberGenerator()
    let nonce = (0..<4).map { _ in String(nonceGenerator.next() as UInt64, radix: 16) }.joined()
    let root = config.scratchRoot
    let runDir = root + "/run-" + String(nonceGenerator.next() as UInt64, radix: 16)
    let workDir = runDir + "/work"
    defer { try? FileManager.default.removeItem(atPath: runDir) }
    let dropUID = capabilities.dropsPrivileges
    let limits = job.limits ?? config.limits
    let jobFD: Int32
    var stdinFD: Int32 = -1
    do {
      try makeDirectory(root, mode: 0o711)
      try makeDirectory(runDir, mode: 0o711)
      try makeDirectory(workDir, mode: 0o700)
      if dropUID && chown(workDir, config.sandboxUID, config.sandboxGID) != 0 {
        throw SandboxProcessError.system("chown \(workDir)", errno)
      }
      try placeFiles(job.files, in: workDir, dropUID: dropUID)
      jobFD = try writeUnlinked(
        runDir + "/job", jobHeader(job, limits: limits, nonce: nonce, workDir: workDir, dropUID: dropUID))
      if !job.stdin.isEmpty {
        do { stdinFD = try writeUnlinked(runDir + "/stdin", Data(job.stdin.utf8)) } catch {
          close(jobFD)
          throw error
        }
      }
    } catch {
      return SandboxResult(verdict: .error, detail: "sandbox setup failed: \(error)")
    }
    defer {
      close(jobFD)
      if stdinFD >= 0 { close(stdinFD) }
    }
    let env = [
      "PATH=/usr/bin:/bin", "HOME=\(workDir)", "TMPDIR=\(workDir)", "LANG=C.UTF-8", "PYTHONHASHSEED=0",
    ]
    if let pool = forkServers, let server = try? pool.take() {
      do {
        let outcome = try server.run(
          stdinFD: stdinFD >= 0 ? stdinFD : devNull, jobFD: jobFD, wallSeconds: limits.wallSeconds,
          outputCap: limits.outputBytes, freshNetwork: config.networkPerJob)
        pool.giveBack(server)
        return Sandbox.verdict(outcome, nonce: nonce, limits: limits, script: job.mode == .script)
      } catch {
        // Retired; this job runs the spawned way below. A child may have read the job and stdin
        // before the server died, so both are rewound (they are private, unlinked files).
        server.shutdown()
        for fd in [jobFD, stdinFD] where fd >= 0 { lseek(fd, 0, SEEK_SET) }
      }
    }
    do {
      let outcome = try SandboxProcess.run(
        argv: argv(python: [config.python, "-I", "-S", "-B", "-c", SandboxHarness.source]), env: env,
        jobFD: jobFD, stdinFD: stdinFD, wallSeconds: limits.wallSeconds, outputCap: limits.outputBytes)
      return Sandbox.verdict(outcome, nonce: nonce, limits: limits, script: job.mode == .script)
    } catch {
      return SandboxResult(verdict: .error, detail: "sandbox could not start: \(error)")
    }
  }

  /// The command line: the interpreter, wrapped in `unshare` when namespaces are available.
  func argv(python: [String]) -> [String] { Sandbox.argv(capabilities, config, python: python) }

  static func argv(_ capabilities: SandboxCapabilities, _ config: SandboxConfig, python: [String]) -> [String]
  {
    switch capabilities.namespaces {
    case .root: return [config.unshare, "--net", "--pid", "--fork", "--kill-child", "--"] + python
    case .user:
      return [config.unshare, "--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child", "--"]
        + python
    case .none: return python
    }
  }

  private func makeDirectory(_ path: String, mode: mode_t) throws {
    if mkdir(path, mode) != 0 && errno != EEXIST { throw SandboxProcessError.system("mkdir \(path)", errno) }
    if chmod(path, mode) != 0 { throw SandboxProcessError.system("chmod \(path)", errno) }
  }

  /// The harness's input: one line of numbers (see `SandboxHarness`), then work dir, program and tests.
  private func jobHeader(
    _ job: SandboxJob, limits l: SandboxLimits, nonce: String, workDir: String, dropUID: Bool
  )
    -> Data
  {
    let parts = [workDir, job.program, job.tests].map { Data($0.utf8) }
    let numbers =
      [
        l.cpuSeconds, l.memoryBytes, l.maxProcesses, l.fileBytes, l.openFiles,
        dropUID ? Int(config.sandboxUID) : -1,
        Int(config.sandboxGID),
      ] + parts.map(\.count)
    let head = "RJ2 \(nonce) \(job.mode.rawValue) " + numbers.map(String.init).joined(separator: " ") + "\n"
    return parts.reduce(Data(head.utf8), +)
  }

  /// Writes `data` to `path`, keeps it open and unlinks it: the child gets the only handle. The fd is
  /// numbered ≥ 10, so the spawn's dup2 actions onto 0–4 never collide with it.
  private func writeUnlinked(_ path: String, _ data: Data) throws -> Int32 {
    let low = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard low >= 0 else { throw SandboxProcessError.system("open \(path)", errno) }
    unlink(path)
    let fd = fcntl(low, F_DUPFD_CLOEXEC, 10)
    close(low)
    guard fd >= 0 else { throw SandboxProcessError.system("fcntl \(path)", errno) }
    let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == data.count, lseek(fd, 0, SEEK_SET) == 0 else {
      close(fd)
      throw SandboxProcessError.system("write \(path)", errno)
    }
    return fd
  }

  /// Writes the job's files into the fresh work dir (nothing untrusted has run there yet), owned by
  /// the sandbox user when privileges are dropped.
  private func placeFiles(_ files: [String: Data], in workDir: String, dropUID: Bool) throws {
    for (path, data) in files.sorted(by: { $0.key < $1.key }) {
      if let problem = SandboxJob.problem(withFilePath: path) {
        throw SandboxProcessError.invalid("file \"\(path)\": \(problem)")
      }
      var dir = workDir
      for part in path.split(separator: "/").dropLast() {
        dir += "/" + part
        if mkdir(dir, 0o700) != 0 && errno != EEXIST {
          throw SandboxProcessError.system("mkdir \(dir)", errno)
        }
        if dropUID && chown(dir, config.sandboxUID, config.sandboxGID) != 0 {
          throw SandboxProcessError.system("chown \(dir)", errno)
        }
      }
      let full = workDir + "/" + path
      let fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      guard fd >= 0 else { throw SandboxProcessError.system("open \(full)", errno) }
      defer { close(fd) }
      let written = data.withUnsafeBytes { data.isEmpty ? 0 : write(fd, $0.baseAddress, $0.count) }
      guard written == data.count else { throw SandboxProcessError.system("write \(full)", errno) }
      if dropUID && fchown(fd, config.sandboxUID, config.sandboxGID) != 0 {
        throw SandboxProcessError.system("chown \(full)", errno)
      }
    }
  }
}
