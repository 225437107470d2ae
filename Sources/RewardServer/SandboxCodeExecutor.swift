import Verifiers

/// `CodeExecutor` over Recheck's sandbox (Verifiers): every program runs confined (namespaces,
/// resource limits, unprivileged uid, whole process group killed). One `Sandbox` per distinct time
/// limit, since limits are part of a sandbox's configuration.
public struct SandboxCodeExecutor: CodeExecutor {
  public let base: SandboxConfig

  public init(base: SandboxConfig = SandboxConfig()) { self.base = base }

  func sandbox(timeout: Double, memoryMB: Int?) -> Sandbox {
    var config = base
    config.limits.wallSeconds = timeout
    config.limits.cpuSeconds = max(1, Int(timeout.rounded(.up)))
    if let memoryMB { config.limits.memoryBytes = memoryMB << 20 }
    return Sandbox(config: config)
  }

  public func run(_ program: ProgramRun) async -> ProgramOutcome {
    guard program.stdin.isEmpty else {
      return ProgramOutcome(
        status: .sandboxError, exitCode: nil, message: "stdin is not supported by the Recheck sandbox")
    }
    let r = await sandbox(timeout: program.timeoutSeconds, memoryMB: program.memoryMB).run(
      .program(program.code))
    switch r.verdict {
    case .passed:
      return ProgramOutcome(
        status: .finished, exitCode: 0, stdout: r.stdout, stderr: r.stderr, seconds: r.wallSeconds)
    case .failed:
      return ProgramOutcome(
        status: .finished, exitCode: 1, stdout: r.stdout, stderr: r.stderr, seconds: r.wallSeconds,
        message: r.detail)
    case .timeout:
      return ProgramOutcome(
        status: .timeLimitExceeded, exitCode: nil, stdout: r.stdout, stderr: r.stderr, seconds: r.wallSeconds,
        message: r.detail)
    case .memory:
      return ProgramOutcome(
        status: .memoryLimitExceeded, exitCode: nil, stdout: r.stdout, stderr: r.stderr,
        seconds: r.wallSeconds, message: r.detail)
    case .error:
      return ProgramOutcome(
        status: .sandboxError, exitCode: nil, stdout: r.stdout, stderr: r.stderr, seconds: r.wallSeconds,
        message: r.detail)
    }
  }

  public func check(program: String, tests: String, timeoutSeconds: Double) async -> TestOutcome {
    let r = await sandbox(timeout: timeoutSeconds, memoryMB: nil).run(
      SandboxJob(program: program, tests: tests))
    let verdict: TestOutcome.Verdict
    switch r.verdict {
    case .passed: verdict = .passed
    case .failed: verdict = .failed
    case .timeout: verdict = .timeout
    case .memory: verdict = .memory
    case .error: verdict = .error
    }
    return TestOutcome(verdict: verdict, detail: r.detail)
  }
}
