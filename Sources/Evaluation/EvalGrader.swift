import Datasets
import Foundation
import Rollouts
import Verifiers

/// The oracle verdict on one response: r̂ and what was read from it.
public struct EvalGrade: Sendable, Equatable {
  public var correct: Bool
  public var extracted: String?
  public var detail: String?

  public init(correct: Bool, extracted: String?, detail: String?) {
    self.correct = correct
    self.extracted = extracted
    self.detail = detail
  }

  public var reward: Double { correct ? 1 : 0 }
}

/// Grades responses by task: math by `MathGrader.grade` (the answer read from both sides as
/// Docs/grading.md orders it: box, "final answer is", …; score.md §5.1 / s2r.md §6.3); code in the
/// sandbox (HumanEval `check(entry_point)`, MBPP asserts; score.md §5.2); synthetic by
/// `SyntheticFormat.score` (last boxed integer).
public struct EvalGrader: Sendable {
  public var sandbox: Sandbox?
  public var extraction: AnswerExtractionOptions

  public init(sandbox: Sandbox? = nil, extraction: AnswerExtractionOptions = AnswerExtractionOptions()) {
    self.sandbox = sandbox
    self.extraction = extraction
  }

  public func grade(_ item: EvalItem, response: String) async throws -> EvalGrade {
    switch item.task {
    case .math:
      let g = MathGrader.grade(reference: item.reference, response: response, extraction: extraction)
      return EvalGrade(correct: g.equivalent, extracted: g.extractedAnswer, detail: g.rule)
    case .synthetic:
      guard let p = item.synthetic else { throw EvalError.syntheticMismatch(item.problem.source) }
      let s = SyntheticFormat.score(p, attempt: response)
      return EvalGrade(correct: s.correct, extracted: s.extracted.map(String.init), detail: nil)
    case .humanEval, .mbpp:
      guard let sandbox else { throw EvalError.needsSandbox(id: item.problem.id) }
      let code = EvalCodeExtractor.program(from: response)
      guard let job = item.problem.sandboxJob(completion: code) else {
        throw EvalError.needsSandbox(id: item.problem.id)
      }
      let result = await sandbox.run(job)
      let detail =
        result.detail.isEmpty ? result.verdict.rawValue : "\(result.verdict.rawValue): \(result.detail)"
      return EvalGrade(correct: result.verdict == .passed, extracted: nil, detail: detail)
    }
  }
}

/// The program in a model's code answer: the first fenced block when there is one (chat models
/// wrap code in ```python … ```), else the text itself (a base model continuing the prompt), with
/// MBPP's `[BEGIN]`/`[DONE]` delimiters removed (score.md §1.3).
///
/// Example: "Here:\n```python\ndef f():\n    return 1\n```\nDone." → "def f():\n    return 1\n".
public enum EvalCodeExtractor {
  public static func program(from text: String) -> String {
    var code = text
    if let open = text.range(of: "```") {
      let afterFence = text[open.upperBound...]
      // Skip the info string ("python", "py") up to the end of the fence line.
      let bodyStart =
        afterFence.firstIndex(of: "\n").map { afterFence.index(after: $0) } ?? afterFence.endIndex
      let body = text[bodyStart...]
      if let close = body.range(of: "```") {
        code = String(body[..<close.lowerBound])
      } else {
        code = String(body)
      }
    }
    for marker in ["[BEGIN]", "[DONE]"] { code = code.replacingOccurrences(of: marker, with: "") }
    return code
  }
}
