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

  public init(config: SandboxConfig = SandboxConfig()) {
    self.config = config
    self.limiter = SandboxLimiter(limit: config.concurrency)
    self.capabilities = Sandbox.probe(config)
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
    let jobFD: Int32
    do {
      try makeDirectory(root, mode: 0o711)
      try makeDirectory(runDir, mode: 0o711)
      try makeDirectory(workDir, mode: 0o700)
      if dropUID && chown(workDir, config.sandboxUID, config.sandboxGID) != 0 {
        throw SandboxProcessError.system("chown \(workDir)", errno)
      }
      jobFD = try writeJobFile(
        runDir + "/job.json", job: job, nonce: nonce, workDir: workDir, dropUID: dropUID)
    } catch {
      return SandboxResult(verdict: .error, detail: "sandbox setup failed: \(error)")
    }
    defer { close(jobFD) }
    let env = [
      "PATH=/usr/bin:/bin", "HOME=\(workDir)", "TMPDIR=\(workDir)", "LANG=C.UTF-8", "PYTHONHASHSEED=0",
    ]
    let limits = config.limits
    do {
      let outcome = try SandboxProcess.run(
        argv: argv(python: [config.python, "-I", "-S", "-B", "-c", SandboxHarness.source]), env: env,
        jobFD: jobFD, wallSeconds: limits.wallSeconds, outputCap: limits.outputBytes)
      return Sandbox.verdict(outcome, nonce: nonce, limits: limits)
    } catch {
      return SandboxResult(verdict: .error, detail: "sandbox could not start: \(error)")
    }
  }

  /// The command line: the interpreter, wrapped in `unshare` when namespaces are available.
  func argv(python: [String]) -> [String] {
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

  /// Writes the job for the harness, opens it read-only and unlinks it: the child gets the only handle.
  private func writeJobFile(_ path: String, job: SandboxJob, nonce: String, workDir: String, dropUID: Bool)
    throws -> Int32
  {
    let l = config.limits
    let payload: [String: Any] = [
      "nonce": nonce, "program": job.program, "tests": job.tests, "workdir": workDir,
      "cpu": l.cpuSeconds, "mem": l.memoryBytes, "nproc": l.maxProcesses, "fsize": l.fileBytes,
      "nofile": l.openFiles, "uid": dropUID ? Int(config.sandboxUID) : NSNull(),
      "gid": Int(config.sandboxGID),
    ]
    let data = try JSONSerialization.data(withJSONObject: payload)
    let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw SandboxProcessError.system("open \(path)", errno) }
    unlink(path)
    let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == data.count, lseek(fd, 0, SEEK_SET) == 0 else {
      close(fd)
      throw SandboxProcessError.system("write \(path)", errno)
    }
    return fd
  }
}
