import Datasets
import Foundation
import Rollouts

/// The benchmark family of a problem, which fixes its prompts and its grader.
public enum EvalTask: String, Codable, Sendable, CaseIterable {
  case math, humanEval, mbpp, synthetic

  /// SCoRe prompts of the task (score.md §1.3; synthetic: `SyntheticFormat`'s layout).
  public var promptSet: SCoRePromptSet {
    switch self {
    case .math: return .math
    case .humanEval: return .humanEval
    case .mbpp: return .mbpp
    case .synthetic:
      // firstTurn "" + separator "\n" renders "problem\n", then "y1\n{p}\n" — exactly
      // SyntheticFormat.prompt / secondTurnPrompt, the layout synthetic models are trained on.
      return .synthetic(firstTurn: "", correction: SyntheticFormat.scoreInstruction, separator: "\n")
    }
  }
}

/// One problem to evaluate: its position in the file, the problem, and for synthetic files the
/// structured problem `SyntheticFormat.score` grades against.
public struct EvalItem: Sendable, Equatable {
  public var index: Int
  public var problem: Problem
  public var task: EvalTask
  public var synthetic: SyntheticProblem?

  public init(index: Int, problem: Problem, task: EvalTask, synthetic: SyntheticProblem? = nil) {
    self.index = index
    self.problem = problem
    self.task = task
    self.synthetic = synthetic
  }

  /// The problem as SCoRe's prompt renderer sees it (MBPP shows its asserts; the answer is never
  /// rendered).
  public var scoreProblem: SCoReProblem {
    var tests: [String] = []
    if case .mbpp(let list, _) = problem.reference { tests = list }
    return SCoReProblem(id: problem.id, statement: problem.prompt, tests: tests, answer: reference)
  }

  /// A readable reference: the answer, HumanEval's entry point, or MBPP's asserts.
  public var reference: String {
    switch problem.reference {
    case .answer(let a): return a
    case .humanEval(_, let entryPoint): return "check(\(entryPoint))"
    case .mbpp(let list, _): return list.joined(separator: "\n")
    }
  }
}

public enum EvalError: Error, Equatable, CustomStringConvertible {
  case duplicateID(file: String, id: String)
  case emptyDataset(String)
  case syntheticMismatch(String)
  case needsSandbox(id: String)
  case configMismatch(runDir: String, why: String)
  case backend(String)

  public var description: String {
    switch self {
    case .duplicateID(let f, let id):
      return "\(f): problem id '\(id)' occurs twice; results are keyed by id, so ids must be unique"
    case .emptyDataset(let f): return "\(f): no problems to evaluate"
    case .syntheticMismatch(let f): return "\(f): synthetic problems could not be matched to their lines"
    case .needsSandbox(let id): return "problem \(id) is a code problem but no sandbox was given"
    case .configMismatch(let dir, let why):
      return "\(dir) holds a run with a different config (\(why)); use a new --out or the same options"
    case .backend(let why): return "backend: \(why)"
    }
  }
}

/// Loads the items of a data file.
public enum EvalDataset {
  /// The first `limit` problems of `path` (all when nil), with their task; synthetic files also get
  /// their `SyntheticProblem`s. Duplicate ids are an error (results are keyed by id).
  ///
  /// Example: a `recheck data synth` file → items with task `.synthetic`; MATH500 → `.math`.
  public static func load(_ path: String, limit: Int? = nil) throws -> [EvalItem] {
    let load = try DatasetLoader.load(path)
    var problems = load.problems
    if let limit { problems = Array(problems.prefix(max(0, limit))) }
    guard !problems.isEmpty else { throw EvalError.emptyDataset(path) }
    var seen = Set<String>()
    for p in problems where !seen.insert(p.id).inserted { throw EvalError.duplicateID(file: path, id: p.id) }
    var synthetic: [SyntheticProblem]?
    if load.format == .synthetic {
      let all = try SyntheticDatasetFile.read(from: path)
      guard all.count == load.problems.count else { throw EvalError.syntheticMismatch(path) }
      synthetic = Array(all.prefix(problems.count))
    }
    return problems.enumerated().map { i, p in
      let task: EvalTask
      switch (load.format, p.reference) {
      case (.synthetic, _): task = .synthetic
      case (_, .humanEval): task = .humanEval
      case (_, .mbpp): task = .mbpp
      case (_, .answer): task = .math
      }
      return EvalItem(index: i, problem: p, task: task, synthetic: synthetic?[i])
    }
  }
}
