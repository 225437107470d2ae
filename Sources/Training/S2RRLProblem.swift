import Datasets
import Generation
import Rollouts
import Tokenizers
import Verifiers

/// One problem of S²R RL and of its offline data, whatever file it came from (spec §4.1, §5.1): what
/// the sampler is asked, the prompt text RL encodes (`S2RResponseLayout.promptOptions`) and offline
/// records store, the gold answer and how attempts are checked against it.
///
/// - synthetic (`synthetic(_:)`): `SyntheticFormat.prompt` as plain text, integer answers;
/// - benchmark (`math(_:template:)`): the model's chat template over [system: the S²R system
///   prompt, user: problem] with the generation prompt — the text `s2r collect` writes and `sft`
///   trains on — graded by `MathGrader` (`S2RRewards.mathChecker`).
public struct S2RRLProblem: Sendable {
  public var id: String
  /// The sampler's request (`.text` for synthetic prompts, `.chat` for a chat model).
  public var request: Prompt
  /// The prompt's text (`request` rendered).
  public var text: String
  public var answer: String
  public var check: S2ROfflineRecord.Check
  /// Checks an attempt's boxed answer (the online solve reward, spec §4.3).
  public var isCorrect: @Sendable (String) -> Bool
  /// Whether a whole response's final answer is right (offline records' `scores`).
  public var responseIsCorrect: @Sendable (String) -> Bool

  public init(
    id: String, request: Prompt, text: String, answer: String, check: S2ROfflineRecord.Check,
    isCorrect: @escaping @Sendable (String) -> Bool, responseIsCorrect: @escaping @Sendable (String) -> Bool
  ) {
    self.id = id
    self.request = request
    self.text = text
    self.answer = answer
    self.check = check
    self.isCorrect = isCorrect
    self.responseIsCorrect = responseIsCorrect
  }

  /// A synthetic problem as S²R RL has always read it: plain prompt text, `Int(answer) == gold`,
  /// a response right when its last box holds the gold integer.
  public static func synthetic(_ p: SyntheticProblem) -> S2RRLProblem {
    let prompt = SyntheticFormat.prompt(p)
    let gold = p.answer
    return S2RRLProblem(
      id: p.text, request: .text(prompt), text: prompt, answer: String(gold), check: .exact,
      isCorrect: { SyntheticTask.answer(boxContent: $0) == gold },
      responseIsCorrect: { SyntheticTask.boxedAnswer(in: $0) == gold })
  }

  /// A MATH/GSM8K-style problem (`gold`: its reference answer) for a chat model with `template`:
  /// the prompt `S2RBenchmarkCollector.chatFormat` gives (what `sft` trains on), `MathGrader`
  /// equivalence for attempts and whole responses.
  public static func math(id: String, problem: String, gold: String, template: ChatTemplate) -> S2RRLProblem {
    S2RRLProblem(
      id: id, request: S2RBenchmarkCollector.prompt(problem),
      text: S2RBenchmarkCollector.chatFormat(template: template)(problem, "").prompt, answer: gold,
      check: .math,
      isCorrect: S2RRewards.mathChecker(reference: gold),
      responseIsCorrect: { MathGrader.grade(reference: gold, response: $0).equivalent })
  }

  /// The online-RL task of this problem.
  public var task: S2RTask { S2RTask(id: id, prompt: text, isCorrect: isCorrect) }
}

extension S2ROfflineData {
  /// Spec §5.1: K self-verifying responses per problem from `model` (native or a server), seeds
  /// `seed + index·7919 + k` by the problem's index in the full list (`first` is the index of
  /// `problems[0]`), each scored by `responseIsCorrect`. Records of synthetic problems carry no
  /// `check` (their lines are as before), benchmark ones `.math`.
  public static func sample(
    model: any LanguageModel, problems: [S2RRLProblem], first: Int = 0, samplesPerProblem: Int,
    params: SamplingParams, seed: UInt64
  ) async throws -> [S2ROfflineRecord] {
    let requests = problems.indices.map { i in
      CompletionRequest(
        prompt: problems[i].request, params: params, n: samplesPerProblem,
        seed: seed &+ UInt64(first + i) &* 7_919)
    }
    let replies = try await model.complete(requests)
    return zip(problems, replies).map { p, sequences in
      S2ROfflineRecord(
        id: p.id, prompt: p.text, answer: p.answer, responses: sequences.map(\.text),
        scores: sequences.map { p.responseIsCorrect($0.text) }, check: p.check == .exact ? nil : p.check)
    }
  }
}
