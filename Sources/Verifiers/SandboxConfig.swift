import Foundation

/// Resource limits for one sandboxed program. Every limit is enforced by the kernel (rlimits set by the
/// harness before untrusted code runs) or by the parent (wall clock, output cap); see `Sandbox`.
public struct SandboxLimits: Codable, Sendable, Equatable {
  /// Wall-clock limit; the whole process group is SIGKILLed when it passes.
  public var wallSeconds: Double
  /// RLIMIT_CPU, soft = hard (unshare's child runs with SIGXCPU blocked, so the kill comes at the hard
  /// limit).
  public var cpuSeconds: Int
  /// RLIMIT_AS: address space of the Python process (MemoryError past it).
  public var memoryBytes: Int
  /// RLIMIT_NPROC for the sandbox user (only meaningful once privileges are dropped; root ignores it).
  public var maxProcesses: Int
  /// Cap on stdout + stderr bytes read; past it the group is killed and the verdict is `error`.
  public var outputBytes: Int
  /// RLIMIT_FSIZE: largest file the program may write.
  public var fileBytes: Int
  /// RLIMIT_NOFILE.
  public var openFiles: Int

  public init(
    wallSeconds: Double = 10, cpuSeconds: Int = 10, memoryBytes: Int = 1 << 30, maxProcesses: Int = 256,
    outputBytes: Int = 1 << 20, fileBytes: Int = 16 << 20, openFiles: Int = 64
  ) {
    self.wallSeconds = wallSeconds
    self.cpuSeconds = cpuSeconds
    self.memoryBytes = memoryBytes
    self.maxProcesses = maxProcesses
    self.outputBytes = outputBytes
    self.fileBytes = fileBytes
    self.openFiles = openFiles
  }
}

/// Where the sandbox finds its tools and how many programs run side by side.
public struct SandboxConfig: Codable, Sendable, Equatable {
  /// The interpreter. Debian's /usr/bin/python3 by default: it must be readable by the unprivileged
  /// sandbox user (an interpreter under /root is not).
  public var python: String
  /// util-linux `unshare`, used for fresh network and PID namespaces.
  public var unshare: String
  /// Parent of the per-run directories (created 0711, owned by the caller).
  public var scratchRoot: String
  /// Programs running at once; defaults to the number of cores.
  public var concurrency: Int
  /// The uid/gid untrusted code runs as when the caller is root (65534 = nobody).
  public var sandboxUID: UInt32
  public var sandboxGID: UInt32
  public var limits: SandboxLimits
  /// Run jobs by forking pre-started interpreters (`SandboxForkServer`) instead of starting one per
  /// job; same isolation, a fraction of the start-up cost. Falls back to spawning when unavailable.
  public var forkServer: Bool
  /// Give each job its own (empty) network namespace; otherwise concurrent jobs of one fork server
  /// share that server's empty namespace (still no route out, but they could reach each other on lo).
  public var networkPerJob: Bool

  public init(
    python: String = "/usr/bin/python3", unshare: String = "/usr/bin/unshare",
    scratchRoot: String = "/tmp/recheck-sandbox",
    concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
    sandboxUID: UInt32 = 65534, sandboxGID: UInt32 = 65534, limits: SandboxLimits = SandboxLimits(),
    forkServer: Bool = true, networkPerJob: Bool = true
  ) {
    self.forkServer = forkServer
    self.networkPerJob = networkPerJob
    self.python = python
    self.unshare = unshare
    self.scratchRoot = scratchRoot
    self.concurrency = max(1, concurrency)
    self.sandboxUID = sandboxUID
    self.sandboxGID = sandboxGID
    self.limits = limits
  }
}

/// Outcome of one sandboxed run.
public enum SandboxVerdict: String, Codable, Sendable, CaseIterable {
  /// The harness ran every test to the end and proved it with the run's nonce.
  case passed
  /// A test failed, the program raised, did not compile, or exited before the tests completed.
  case failed
  /// The wall-clock or CPU limit was hit.
  case timeout
  /// The memory limit was hit (MemoryError).
  case memory
  /// Anything else: output cap exceeded, the sandbox could not start, abnormal death.
  case error
}

public struct SandboxResult: Codable, Sendable, Equatable {
  public var verdict: SandboxVerdict
  /// The first failing assert or exception (`AssertionError at tests line 3: assert f(2) == 4`), or why
  /// the run ended; empty for `passed`.
  public var detail: String
  /// Captured output, each cut at the output cap.
  public var stdout: String
  public var stderr: String
  public var wallSeconds: Double
  /// User + system CPU of the run's processes (from wait4's rusage).
  public var cpuSeconds: Double
  /// Script mode: the program's exit code (negative: killed by that signal); nil when it did not end by
  /// itself (time or output limit, sandbox error) and always in tests mode.
  public var exitCode: Int?

  public init(
    verdict: SandboxVerdict, detail: String, stdout: String = "", stderr: String = "",
    wallSeconds: Double = 0, cpuSeconds: Double = 0, exitCode: Int? = nil
  ) {
    self.exitCode = exitCode
    self.verdict = verdict
    self.detail = detail
    self.stdout = stdout
    self.stderr = stderr
    self.wallSeconds = wallSeconds
    self.cpuSeconds = cpuSeconds
  }
}
