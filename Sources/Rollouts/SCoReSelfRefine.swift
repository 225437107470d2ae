import Tokenizers

/// The Self-Refine baseline (Madaan et al. 2023) as SCoRe compares against it (spec §4.1): one
/// round, prompting only. [OURS — the paper prints no prompts] After the turn-1 answer y1 the
/// same model is asked for feedback on it, then asked to rewrite using that feedback; the rewrite
/// is y2. The feedback request asks for critique only, so the rewrite step sees a separate
/// critique as Self-Refine intends; the rewrite request repeats the task's answer-format line so
/// that y2 stays gradable by the same extractor as y1.
public struct SCoReSelfRefinePrompts: Sendable, Codable, Hashable {
  public var feedbackRequest: String
  public var rewriteRequest: String

  public init(feedbackRequest: String, rewriteRequest: String) {
    self.feedbackRequest = feedbackRequest
    self.rewriteRequest = rewriteRequest
  }

  public static let math = SCoReSelfRefinePrompts(
    feedbackRequest:
      "Review the solution above step by step. Point out every mistake in the reasoning, the "
      + "calculations or the final answer, or say that it is correct. Give feedback only; do not rewrite "
      + "the solution.",
    rewriteRequest:
      "Using your feedback, rewrite the solution. Only output the final solution! At the end of the "
      + "Solution, when you give your final answer, write it in the form \"Final Answer: The final "
      + "answer is $answer$. I hope it is correct.\"")

  public static let code = SCoReSelfRefinePrompts(
    feedbackRequest:
      "# Review the code above. Point out every bug or misunderstanding of the task, or say that it is "
      + "correct. Give feedback only; do not rewrite the code.",
    rewriteRequest:
      "# Using your feedback, rewrite the solution. Only output the final correct Python program!")

  /// The prompts matching a SCoRe task (synthetic tasks use the math wording).
  public static func forTask(_ task: SCoReTask) -> SCoReSelfRefinePrompts {
    switch task {
    case .mbpp, .humanEval: return .code
    case .math, .synthetic: return .math
    }
  }

  /// Context of the feedback step: `[user x1, assistant y1, user feedbackRequest]`.
  ///
  /// Example (prompt set `synthetic(firstTurn: "Add.", correction: "Fix.")`, "2+3", y1 "6"):
  /// `[user "Add.\n\n2+3", assistant "6", user feedbackRequest]`.
  public func feedbackConversation(problem: SCoReProblem, firstAttempt: String, prompts: SCoRePromptSet)
    -> [ChatMessage]
  {
    [.user(prompts.firstTurnText(problem)), .assistant(firstAttempt), .user(feedbackRequest)]
  }

  /// Context of the rewrite step: the feedback conversation, the model's feedback as the 4th
  /// message, then `user rewriteRequest`; the model's reply is y2.
  public func rewriteConversation(
    problem: SCoReProblem, firstAttempt: String, feedback: String, prompts: SCoRePromptSet
  ) -> [ChatMessage] {
    feedbackConversation(problem: problem, firstAttempt: firstAttempt, prompts: prompts)
      + [.assistant(feedback), .user(rewriteRequest)]
  }
}
