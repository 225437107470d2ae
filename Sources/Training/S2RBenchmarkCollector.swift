import Datasets
import Foundation
import Generation
import Rollouts
import TensorCore
import Tokenizers
import Verifiers

/// S²R stage 0 on benchmark math problems (MATH/GSM8K layouts of `DatasetLoader`; spec §2.1–2.4):
/// K samples of the policy per problem with the paper's system prompt in the policy's own chat
/// format, each graded by `MathGrader` against the gold answer; distinct answers grouped (right
/// first, at most `mix.maxDistinctAnswers`); one verifier call per distinct answer with the official
/// confirmative prompt (`S2RLLMVerificationSource`); each verification normalised to end in exactly
/// one fixed verdict sentence and kept only when that verdict agrees with the grader; trajectories
/// assembled by the same `S2RBehaviourData.assemble` as the synthetic path.
///
/// Resumable per problem: a problem's `S2RSFTExample` records (possibly none) are appended to the
/// output, then one `S2RStage0ProblemStats` line to `<output>.problems.jsonl`; a problem with a
/// stats line is skipped on a rerun, one without is recomputed and only its missing records are
/// appended. A policy or verifier failure (after the backend's own retries) is thrown after every
/// finished problem is on disk. Seeds depend only on the problem's index in the list.
public struct S2RBenchmarkCollector {
  public var data: S2RBehaviourData
  public var policy: any LanguageModel
  public var verifier: any S2RVerificationSource
  public var maxNewTokens: Int
  /// Problems sampled and verified together ([OURS]; default 1, the paper's scripts work problem by
  /// problem): a chunk's K·W attempts go to the policy in one `complete` call and its distinct answers
  /// to the verifier in one call, so a local model decodes them as one batch and a server with several
  /// slots (vLLM, SGLang, llama.cpp's `llama-server --parallel`) works on them concurrently. Seeds
  /// depend only on a problem's index, so a problem's requests are the same for every W (a batching
  /// engine's numerics may still depend on what it decodes alongside).
  public var problemsPerCall = 1
  /// (problem, trajectory) → (prompt, answer): the chat-template text of the model to be trained.
  public var format: (_ problem: String, _ trajectory: String) throws -> (prompt: String, answer: String)

  public init(
    data: S2RBehaviourData, policy: any LanguageModel, verifier: any S2RVerificationSource, maxNewTokens: Int,
    format: @escaping (_ problem: String, _ trajectory: String) throws -> (prompt: String, answer: String)
  ) {
    self.data = data
    self.policy = policy
    self.verifier = verifier
    self.maxNewTokens = maxNewTokens
    self.format = format
  }

  /// The (prompt, answer) layout `recheck sft` reads: `prompt` = `template` rendered over [system,
  /// problem] with the generation prompt (encoded with special tokens there), `answer` = the bare
  /// trajectory (sft appends the template's end-of-turn token id, so it is not repeated as text).
  public static func chatFormat(template: ChatTemplate) -> (String, String) -> (
    prompt: String, answer: String
  ) {
    { problem, trajectory in
      (
        template.render([.system(S2RDataBuilder.systemPrompt), .user(problem)], addGenerationPrompt: true),
        trajectory
      )
    }
  }

  /// The math problems of a MATH/GSM8K-style file, first occurrence of each id: unreadable rows
  /// (e.g. without an answer) are returned as `skipped` errors with file:line, code problems counted.
  public static func loadProblems(_ path: String) throws -> (
    problems: [Problem], skipped: [DatasetError], nonMath: Int
  ) {
    let load = try DatasetLoader.load(path, options: DatasetLoadOptions(collectErrors: true))
    var seen = Set<String>()
    let math = load.problems.filter { $0.kind == .math && $0.answer != nil }
    return (math.filter { seen.insert($0.id).inserted }, load.errors, load.problems.count - math.count)
  }

  /// The per-problem stats file kept next to `output`.
  public static func statsFile(for output: URL) -> URL {
    output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".problems.jsonl")
  }

  /// The policy prompt of spec §2.1: system prompt + problem as the user turn.
  public static func prompt(_ problem: String) -> Prompt {
    .chat([.system(S2RDataBuilder.systemPrompt), .user(problem)])
  }

  /// Step 1 for one problem: K samples (seed of sample k: `seed + index·7919 + k`), graded.
  public func sample(_ p: Problem, index: Int) async throws -> S2RStage0Problem {
    try await sample([(p, index)])[0]
  }

  /// Step 1 for several problems in one `complete` call (one request of K samples per problem, each
  /// with its own index's seed, so a problem's samples do not depend on what else is asked with it).
  func sample(_ batch: [(problem: Problem, index: Int)]) async throws -> [S2RStage0Problem] {
    let params = SamplingParams(temperature: data.temperature, maxNewTokens: maxNewTokens)
    let golds = try batch.map { p, _ in
      guard let gold = p.answer else { throw S2RBenchmarkError.noAnswer(id: p.id) }
      return gold
    }
    let requests = batch.map { p, index in
      CompletionRequest(
        prompt: Self.prompt(p.prompt), params: params, n: data.samplesPerProblem,
        seed: data.seed &+ UInt64(index) &* 7_919)
    }
    let replies = try await policy.complete(requests)
    return try zip(batch, golds).enumerated().map { r, item in
      let (p, gold) = (item.0.problem, item.1)
      let got = r < replies.count ? replies[r] : []
      guard got.count == data.samplesPerProblem else {
        throw S2RBenchmarkError.policyReplies(id: p.id, expected: data.samplesPerProblem, got: got.count)
      }
      return S2RStage0Problem(
        id: p.id, problem: p.prompt,
        attempts: got.map { g in
          let grade = MathGrader.grade(reference: gold, response: g.text)
          return S2RSampledAttempt(
            text: g.text, answer: grade.extractedAnswer ?? "", correct: grade.equivalent)
        })
    }
  }

  /// Steps 2–3 for one sampled problem: its stats and its SFT examples (`index` seeds assembly).
  public func build(_ s: S2RStage0Problem, index: Int) async throws -> (
    S2RStage0ProblemStats, [S2RSFTExample]
  ) {
    try await build([(s, index)])[0]
  }

  /// Steps 2–3 for several sampled problems: every distinct answer of all of them goes to the verifier
  /// in one `verifications` call; each problem is then built on its own, as `build(_:index:)` would.
  func build(_ batch: [(sampled: S2RStage0Problem, index: Int)]) async throws -> [(
    S2RStage0ProblemStats, [S2RSFTExample]
  )] {
    let asked = batch.map {
      S2RDataBuilder.verificationQueries($0.sampled, maxDistinctAnswers: data.mix.maxDistinctAnswers)
    }
    let replies = try await verifier.verifications(asked.flatMap(\.queries))
    var offset = 0
    return try batch.enumerated().map { b, item in
      let (s, index) = item
      let n = asked[b].queries.count
      let mine = Array(replies[min(offset, replies.count)..<min(offset + n, replies.count)])
      offset += n
      let verified = S2RDataBuilder.verified(
        s, groups: asked[b].groups, replies: mine, fixedVerdictSentence: true)
      var rng = SeededRNG(seed: data.seed &+ 0xC0FFEE &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
      let examples = try data.assemble(verified, format: format, using: &rng)
      let stats = S2RStage0ProblemStats(
        id: s.id, attempts: s.attempts.count, answered: s.attempts.count { !$0.answer.isEmpty },
        correct: s.attempts.count(where: \.correct),
        distinctAnswers: Set(s.attempts.map(\.answer).filter { !$0.isEmpty }).count,
        verifierCalls: verified.verifierCalls,
        kept: verified.verifierCalls - verified.discarded,
        discarded: verified.discardReasons ?? [:], examples: examples.count,
        wrongAttempts: examples.map(\.wrongAttempts))
      return (stats, examples)
    }
  }

  /// Runs (or resumes) stage 0 on `problems`; `progress(done, total)` after each problem. Returns
  /// the summary over every problem of the list that is finished (this run and earlier ones).
  ///
  /// The list is worked in fixed chunks of `problemsPerCall` (problems 0..<W, W..<2W, …); a chunk's
  /// unfinished problems are sampled in one call and verified in one call, then written in list order.
  /// A failure names the chunk's first unfinished problem; every problem before it is on disk.
  public func collect(
    problems: [Problem], output: URL, progress: (Int, Int) -> Void = { _, _ in }
  ) async throws -> S2RStage0Summary {
    let writer = try ResumableJSONLWriter(url: output)
    let statsURL = Self.statsFile(for: output)
    let stats = try ResumableJSONLWriter(url: statsURL)
    var newProblems = 0
    var written = 0
    let w = max(1, problemsPerCall)
    for start in stride(from: 0, to: problems.count, by: w) {
      let end = min(start + w, problems.count)
      let chunk = (start..<end).filter { !stats.isFinished(problems[$0].id) }
      guard let first = chunk.first else {
        progress(end, problems.count)
        continue
      }
      let sampled: [S2RStage0Problem]
      do {
        sampled = try await sample(chunk.map { (problems[$0], $0) })
      } catch {
        throw S2RBenchmarkError.failed(
          stage: "policy", id: problems[first].id, finished: first, underlying: "\(error)")
      }
      let built: [(S2RStage0ProblemStats, [S2RSFTExample])]
      do {
        built = try await build(Array(zip(sampled, chunk)))
      } catch {
        throw S2RBenchmarkError.failed(
          stage: "verifier", id: problems[first].id, finished: first, underlying: "\(error)")
      }
      for (i, (problemStats, examples)) in zip(chunk, built) {
        for e in examples where !writer.isFinished(e.id) {
          try writer.append(e, id: e.id)
          written += 1
        }
        try stats.append(problemStats, id: problems[i].id)
        newProblems += 1
      }
      progress(end, problems.count)
    }
    let ids = Set(problems.map(\.id))
    let all = try JSONLReader.read(S2RStage0ProblemStats.self, from: statsURL).filter { ids.contains($0.id) }
    var summary = S2RStage0Summary(all)
    summary.newProblems = newProblems
    summary.written = written
    return summary
  }
}

public enum S2RBenchmarkError: Error, CustomStringConvertible, Equatable {
  case noAnswer(id: String)
  case policyReplies(id: String, expected: Int, got: Int)
  case failed(stage: String, id: String, finished: Int, underlying: String)

  public var description: String {
    switch self {
    case .noAnswer(let id): return "problem \(id) has no reference answer"
    case .policyReplies(let id, let e, let g):
      return "problem \(id): the policy returned \(g) samples, not \(e)"
    case .failed(let stage, let id, let n, let u):
      return
        "the \(stage) failed on problem \(id) (\(u)); the first \(n) problems are saved — rerun to resume"
    }
  }
}
