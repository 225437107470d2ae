import Tokenizers

/// What to continue: raw text, or a conversation that the backend formats with its chat
/// template (native) or sends to a chat endpoint (OpenAI-compatible servers).
public enum Prompt: Sendable, Codable, Equatable {
  case text(String)
  case chat([ChatMessage])
}

/// One prompt, how to sample it, how many samples, and the seed of the first sample (sample j
/// uses seed + j).
public struct CompletionRequest: Sendable, Codable, Equatable {
  public var prompt: Prompt
  public var params: SamplingParams
  public var n: Int
  public var seed: UInt64

  public init(prompt: Prompt, params: SamplingParams, n: Int = 1, seed: UInt64 = 0) {
    self.prompt = prompt
    self.params = params
    self.n = n
    self.seed = seed
  }
}

/// A model that continues prompts: the native transformer, or an OpenAI-compatible server.
/// Rollouts, evaluation and data collection are written against this protocol only.
public protocol LanguageModel: Sendable {
  /// A short name for logs and result files.
  var name: String { get }
  /// `n` samples for every request, in request order.
  func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]]
}
