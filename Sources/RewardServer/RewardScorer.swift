import Foundation
import Verifiers

/// The grade of one response.
public struct RewardVerdict: Codable, Sendable, Equatable {
  /// Raw correctness (`scores` of OpenRLHF).
  public var correct: Bool
  /// The training reward: correctness, shaped when the label asks for it.
  public var reward: Double
  /// The extracted answer or program.
  public var extracted: String?
  /// Which rule decided: a `MathGrader` rule, `no-answer`, or a sandbox verdict (`passed`,
  /// `failed`, `timeout`, `memory`, `error`).
  public var rule: String
  /// The response followed the expected format (a box/Minerva phrase; `[BEGIN]`/fenced code).
  public var formatOK: Bool
  /// An answer or program could be extracted at all.
  public var extractOK: Bool
  /// The program hit its time limit.
  public var timeout: Bool

  public var score: Double { correct ? 1 : 0 }

  enum CodingKeys: String, CodingKey {
    case correct, reward, extracted, rule, timeout
    case formatOK = "format_ok"
    case extractOK = "extract_ok"
  }
}

/// Grades responses against labels: math by `MathGrader.grade` (both sides extracted), synthetic
/// tasks by their last boxed integer (as Recheck's trainers grade them), code by a
/// `CodeExecutor` (MBPP asserts, HumanEval `check(entry_point)`, or a self-checking program).
public struct RewardScorer: Sendable {
  public var executor: (any CodeExecutor)?
  public var extraction: AnswerExtractionOptions
  public var grading: MathGraderOptions
  /// Wall-clock limit of one code check (SCoRe spec §5.2: 10 s per problem).
  public var codeTimeoutSeconds: Double

  public init(
    executor: (any CodeExecutor)? = nil, extraction: AnswerExtractionOptions = AnswerExtractionOptions(),
    grading: MathGraderOptions = MathGraderOptions(), codeTimeoutSeconds: Double = 10
  ) {
    self.executor = executor
    self.extraction = extraction
    self.grading = grading
    self.codeTimeoutSeconds = codeTimeoutSeconds
  }

  public func score(response: String, label: RewardLabel) async throws -> RewardVerdict {
    var verdict: RewardVerdict
    switch label.task {
    case "math":
      verdict = try scoreMath(response: response, label: label)
    case "synthetic":
      verdict = try scoreSynthetic(response: response, label: label)
    case "mbpp", "humaneval", "code":
      verdict = try await scoreCode(response: response, label: label)
    default:
      throw RewardServiceError.badRequest(
        "label field \"task\": unknown task \"\(label.task)\" (expected math, synthetic, mbpp, humaneval or code)"
      )
    }
    verdict.reward = Self.shapedReward(r2: verdict.score, r1: label.r1, shaping: label.shaping)
    return verdict
  }

  /// SCoRe Stage II reward of the second attempt (spec §2.4, Eq. 4): r̃2 = r2 + α·(r2 − r1).
  /// Without `r1` or `α` the reward is r2.
  ///
  /// Example: r2 = 1, r1 = 0, α = 10 gives 11; r2 = 0, r1 = 1, α = 10 gives −10.
  public static func shapedReward(r2: Double, r1: Double?, shaping: Double?) -> Double {
    guard let r1, let shaping else { return r2 }
    return r2 + shaping * (r2 - r1)
  }

  func scoreMath(response: String, label: RewardLabel) throws -> RewardVerdict {
    guard let reference = label.answer else {
      throw RewardServiceError.badRequest("a math label needs \"answer\"")
    }
    let g = MathGrader.grade(
      reference: reference, response: response, options: grading, extraction: extraction)
    return RewardVerdict(
      correct: g.equivalent, reward: 0, extracted: g.extractedAnswer, rule: g.rule,
      formatOK: g.answerSource == .boxed || g.answerSource == .minerva, extractOK: g.extractedAnswer != nil,
      timeout: false)
  }

  func scoreCode(response: String, label: RewardLabel) async throws -> RewardVerdict {
    guard let executor else { throw RewardServiceError.unavailable("code sandbox not available") }
    let (body, delimited) = ProgramExtractor.extract(response)
    let program = (label.prefix ?? "") + body
    let tests = try Self.testCode(label)
    let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty {
      return RewardVerdict(
        correct: false, reward: 0, extracted: "", rule: "no-answer", formatOK: delimited, extractOK: false,
        timeout: false)
    }
    let outcome = await executor.check(program: program, tests: tests, timeoutSeconds: codeTimeoutSeconds)
    return RewardVerdict(
      correct: outcome.verdict == .passed, reward: 0, extracted: body, rule: outcome.verdict.rawValue,
      formatOK: delimited, extractOK: true, timeout: outcome.verdict == .timeout)
  }

  /// The test code of a code label: MBPP's setup and asserts, HumanEval's `check(entry_point)`.
  static func testCode(_ label: RewardLabel) throws -> String {
    let tests = label.tests ?? []
    switch label.task {
    case "mbpp":
      guard !tests.isEmpty else { throw RewardServiceError.badRequest("an mbpp label needs \"tests\"") }
      return ((label.setup.map { [$0] } ?? []) + tests).joined(separator: "\n") + "\n"
    case "humaneval":
      guard !tests.isEmpty, let entry = label.entryPoint, !entry.isEmpty else {
        throw RewardServiceError.badRequest("a humaneval label needs \"tests\" and \"entry_point\"")
      }
      guard entry.allSatisfy({ $0 == "_" || (($0.isLetter || $0.isNumber) && $0.isASCII) }) else {
        throw RewardServiceError.badRequest("entry_point must be a Python identifier")
      }
      return tests.joined(separator: "\n") + "\n\ncheck(\(entry))\n"
    default:
      return tests.joined(separator: "\n")
    }
  }
}
