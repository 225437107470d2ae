import Generation
import Rollouts
import Tokenizers

/// A `LanguageModel` that hands chat prompts to `base` as plain text in SCoRe's text layout, so
/// conversation-shaped protocols (Self-Refine) run on base models trained on plain transcripts
/// (the synthetic char models). Rendering of `[m0, m1, …, mk]`:
/// `m0 ⊕ problemSeparator ⊕ m1 ⊕ turnSeparator ⊕ … ⊕ mk ⊕ turnSeparator` — for SCoRe's own
/// conversations this is exactly `SCoRePromptSet.textContext`. Text prompts pass through.
///
/// Example (`synthetic(firstTurn: "", correction: "Fix.", separator: "\n")`):
/// `[user "2+3", assistant "6", user "Check:"]` → `"2+3\n6\nCheck:\n"`.
public struct SCoReTextLayoutModel: LanguageModel {
  public var base: any LanguageModel
  public var prompts: SCoRePromptSet

  public init(base: any LanguageModel, prompts: SCoRePromptSet) {
    self.base = base
    self.prompts = prompts
  }

  public var name: String { base.name }

  /// The plain-text form of a conversation.
  public func render(_ messages: [ChatMessage]) -> String {
    var s = ""
    for (i, m) in messages.enumerated() {
      s += m.content + (i == 0 ? prompts.problemSeparator : prompts.turnSeparator)
    }
    return s
  }

  public func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
    try await base.complete(
      requests.map { r in
        var r = r
        if case .chat(let messages) = r.prompt { r.prompt = .text(render(messages)) }
        return r
      })
  }
}
