import Foundation

/// Runs untrusted programs for `/run_code` and the code tasks of `/get_reward` and `/verify`.
///
/// The reward server never runs code itself: an implementation wraps the confined code sandbox of
/// `Verifiers` (time, memory, process and output limits, no network, own temp dir, process group
/// killed). Without one, code routes answer 503 "code sandbox not available".
public protocol CodeExecutor: Sendable {
  /// Runs a stand-alone program with `stdin` (SandboxFusion's `/run_code`).
  func run(_ program: ProgramRun) async -> ProgramOutcome
  /// Runs `program`, then `tests` against it; passes only when the tests run to their end.
  func check(program: String, tests: String, timeoutSeconds: Double) async -> TestOutcome
}

/// A program to run, as SandboxFusion's `/run_code` describes it (language is always Python here).
public struct ProgramRun: Sendable, Equatable {
  public var code: String
  public var stdin: String
  public var timeoutSeconds: Double
  /// Memory cap in MiB; nil: the executor's default.
  public var memoryMB: Int?
  /// Files placed in the program's working directory first: relative path → contents.
  public var files: [String: Data]

  public init(
    code: String, stdin: String = "", timeoutSeconds: Double = 10, memoryMB: Int? = nil,
    files: [String: Data] = [:]
  ) {
    self.code = code
    self.stdin = stdin
    self.timeoutSeconds = timeoutSeconds
    self.memoryMB = memoryMB
    self.files = files
  }
}

/// How a program run ended.
public struct ProgramOutcome: Sendable, Equatable {
  public enum Status: String, Sendable {
    /// The program exited by itself (any exit code; an uncaught MemoryError is exit 1, as in Python).
    case finished
    case timeLimitExceeded
    /// The sandbox could not run it (start failure, output cap, abnormal death).
    case sandboxError
  }

  public var status: Status
  public var exitCode: Int?
  public var stdout: String
  public var stderr: String
  public var seconds: Double
  /// Why it ended, when that is not a plain exit.
  public var message: String

  public init(
    status: Status, exitCode: Int?, stdout: String = "", stderr: String = "", seconds: Double = 0,
    message: String = ""
  ) {
    self.status = status
    self.exitCode = exitCode
    self.stdout = stdout
    self.stderr = stderr
    self.seconds = seconds
    self.message = message
  }
}

/// The verdict of a program on its tests.
public struct TestOutcome: Sendable, Equatable {
  public enum Verdict: String, Sendable {
    case passed, failed, timeout, memory, error
  }

  public var verdict: Verdict
  /// The first failing assert or why the run ended; empty when passed.
  public var detail: String

  public init(verdict: Verdict, detail: String = "") {
    self.verdict = verdict
    self.detail = detail
  }
}
