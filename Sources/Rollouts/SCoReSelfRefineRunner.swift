import Generation

/// Rolls out the one-round Self-Refine baseline (spec §4.1, [OURS] prompts in
/// `SCoReSelfRefinePrompts`): y1 from the task's first-turn prompt, then the model's feedback on
/// y1, then y2 = the model's rewrite given that feedback. Chat layout only (the baseline is a
/// conversation). Episodes have two attempts; `attempts[1].prompt` is the 5-message rewrite
/// conversation, so the feedback is kept with the episode. Scored by the same checker as SCoRe.
public struct SCoReSelfRefineRunner: Sendable {
  public var model: any LanguageModel
  public var prompts: SCoRePromptSet
  public var refine: SCoReSelfRefinePrompts
  /// Used for y1, the feedback and y2 (greedy for the paper's evaluations).
  public var params: SamplingParams
  public var samplesPerProblem: Int
  public var seed: UInt64

  public init(
    model: any LanguageModel, prompts: SCoRePromptSet, refine: SCoReSelfRefinePrompts? = nil,
    params: SamplingParams = .greedy(maxNewTokens: 1024), samplesPerProblem: Int = 1, seed: UInt64 = 0
  ) {
    self.model = model
    self.prompts = prompts
    self.refine = refine ?? .forTask(prompts.task)
    self.params = params
    self.samplesPerProblem = samplesPerProblem
    self.seed = seed
  }

  public func run(problems: [SCoReProblem], checker: @escaping SCoReChecker) async throws -> [SCoReEpisode] {
    let first = SCoReEpisodeRunner(
      model: model, prompts: prompts,
      config: SCoReRolloutConfig(
        samplesPerProblem: samplesPerProblem, turns: 1, params: params, layout: .chat, seed: seed))
    var episodes = try await first.run(problems: problems, checker: checker)
    let owners = problems.flatMap { [SCoReProblem](repeating: $0, count: samplesPerProblem) }
    let params = first.samplingParams
    // Feedback step: not an attempt, not scored.
    let feedbackRequests = episodes.enumerated().map { e, episode in
      CompletionRequest(
        prompt: .chat(
          refine.feedbackConversation(
            problem: owners[e], firstAttempt: episode.attempts[0].text, prompts: prompts)),
        params: params, n: 1, seed: SCoReEpisodeRunner.requestSeed(seed, turn: 1_000, index: e))
    }
    let feedback = try await complete(feedbackRequests, turn: 2)
    // Rewrite step: y2.
    let rewriteRequests = episodes.enumerated().map { e, episode in
      CompletionRequest(
        prompt: .chat(
          refine.rewriteConversation(
            problem: owners[e], firstAttempt: episode.attempts[0].text, feedback: feedback[e].text,
            prompts: prompts)),
        params: params, n: 1, seed: SCoReEpisodeRunner.requestSeed(seed, turn: 2, index: e))
    }
    let rewrites = try await complete(rewriteRequests, turn: 2)
    try await SCoReEpisodeRunner.append(
      rewrites, contexts: rewriteRequests.map(\.prompt), to: &episodes, problems: owners, checker: checker)
    return episodes
  }

  private func complete(_ requests: [CompletionRequest], turn: Int) async throws -> [GeneratedSequence] {
    let outputs = try await model.complete(requests)
    guard outputs.count == requests.count, outputs.allSatisfy({ $0.count == 1 }) else {
      throw SCoReRolloutError.wrongSampleCount(
        turn: turn, expected: requests.count, got: outputs.reduce(0) { $0 + $1.count })
    }
    return outputs.map { $0[0] }
  }
}
