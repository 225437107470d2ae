import Foundation
import Verifiers

/// `CodeExecutor` over Recheck's sandbox (Verifiers): every program runs confined (namespaces,
/// resource limits, unprivileged uid, whole process group killed). One `Sandbox` (its namespace probe
/// runs once); each run carries its own time and memory limits.
public struct SandboxCodeExecutor: CodeExecutor {
  public let sandbox: Sandbox

  public init(sandbox: Sandbox) { self.sandbox = sandbox }

  /// A sandbox over `base`, refused (throws, saying why) when its interpreter does not work for the
  /// sandbox user.
  public init(checking base: SandboxConfig = SandboxConfig()) throws {
    self.sandbox = try Sandbox.checked(config: base)
  }

  func limits(timeout: Double, memoryMB: Int?) -> SandboxLimits {
    var limits = sandbox.config.limits
    limits.wallSeconds = timeout
    limits.cpuSeconds = max(1, Int(timeout.rounded(.up)))
    if let memoryMB { limits.memoryBytes = memoryMB << 20 }
    return limits
  }

  public func run(_ program: ProgramRun) async -> ProgramOutcome {
    let job = SandboxJob.script(
      program.code, stdin: program.stdin, files: program.files,
      limits: limits(timeout: program.timeoutSeconds, memoryMB: program.memoryMB))
    let r = await sandbox.run(job)
    switch r.verdict {
    case .passed, .failed,
      .memory where r.exitCode != nil:
      // MemoryError is a Python exception like any other: traceback, exit 1 (as SandboxFusion reports).
      return ProgramOutcome(
        status: .finished, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, seconds: r.wallSeconds,
        message: r.detail)
    case .timeout:
      return ProgramOutcome(
        status: .timeLimitExceeded, exitCode: nil, stdout: r.stdout, stderr: r.stderr, seconds: r.wallSeconds,
        message: r.detail)
    default:
      return ProgramOutcome(
        status: .sandboxError, exitCode: nil, stdout: r.stdout, stderr: r.stderr, seconds: r.wallSeconds,
        message: r.detail)
    }
  }

  public func check(program: String, tests: String, timeoutSeconds: Double) async -> TestOutcome {
    let r = await sandbox.run(
      SandboxJob(program: program, tests: tests, limits: limits(timeout: timeoutSeconds, memoryMB: nil)))
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
