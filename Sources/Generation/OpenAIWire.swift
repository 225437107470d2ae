import Foundation
import Tokenizers

/// Request body of `/v1/completions` (`prompt`) and `/v1/chat/completions` (`messages`), OpenAI API
/// reference. `top_k`, `stop_token_ids`, `return_token_ids` (vLLM) and `return_tokens` (llama.cpp)
/// are extensions, sent only when used.
struct OpenAIRequestBody: Encodable {
  enum LogProbs: Encodable {
    case count(Int)  // completions: number of alternatives per position
    case flag(Bool)  // chat: on/off
    func encode(to encoder: any Encoder) throws {
      var c = encoder.singleValueContainer()
      switch self {
      case .count(let n): try c.encode(n)
      case .flag(let b): try c.encode(b)
      }
    }
  }

  var model: String
  var prompt: String?
  var messages: [ChatMessage]?
  var n: Int
  var temperature: Double
  var topP: Double
  var topK: Int?
  var maxTokens: Int
  var stop: [String]?
  var seed: Int
  var logprobs: LogProbs?
  var stopTokenIDs: [Int]?
  var returnTokenIDs: Bool?
  var returnTokens: Bool?

  enum CodingKeys: String, CodingKey {
    case model, prompt, messages, n, temperature, stop, seed, logprobs
    case topP = "top_p"
    case topK = "top_k"
    case maxTokens = "max_tokens"
    case stopTokenIDs = "stop_token_ids"
    case returnTokenIDs = "return_token_ids"
    case returnTokens = "return_tokens"
  }
}

/// The parts of a (chat) completion response we read.
struct OpenAIResponseBody: Decodable {
  struct Choice: Decodable {
    var index: Int?
    var text: String?
    var message: Message?
    var finishReason: String?
    /// vLLM: the stop string (String) or token id (Int) that ended the sequence, null for EOS.
    var stopReason: StringOrInt?
    var logprobs: LogProbs?
    var tokenIDs: [Int]?
    var tokens: [Int]?

    enum CodingKeys: String, CodingKey {
      case index, text, message, logprobs, tokens
      case finishReason = "finish_reason"
      case stopReason = "stop_reason"
      case tokenIDs = "token_ids"
    }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      index = try c.decodeIfPresent(Int.self, forKey: .index)
      text = try c.decodeIfPresent(String.self, forKey: .text)
      message = try c.decodeIfPresent(Message.self, forKey: .message)
      finishReason = try c.decodeIfPresent(String.self, forKey: .finishReason)
      stopReason = try? c.decodeIfPresent(StringOrInt.self, forKey: .stopReason)
      logprobs = try? c.decodeIfPresent(LogProbs.self, forKey: .logprobs)
      tokenIDs = try? c.decodeIfPresent([Int].self, forKey: .tokenIDs)
      tokens = try? c.decodeIfPresent([Int].self, forKey: .tokens)  // llama.cpp; strings elsewhere
    }
  }

  struct Message: Decodable {
    var content: String?
  }

  /// Completions: `token_logprobs`; chat: `content[].logprob`.
  struct LogProbs: Decodable {
    struct Entry: Decodable { var logprob: Double? }
    var tokenLogprobs: [Double?]?
    var content: [Entry]?

    enum CodingKeys: String, CodingKey {
      case content
      case tokenLogprobs = "token_logprobs"
    }

    var values: [Double] {
      if let t = tokenLogprobs { return t.map { $0 ?? 0 } }
      return (content ?? []).map { $0.logprob ?? 0 }
    }
  }

  enum StringOrInt: Decodable {
    case string(String), int(Int)
    init(from decoder: any Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let i = try? c.decode(Int.self) { self = .int(i) } else { self = .string(try c.decode(String.self)) }
    }
  }

  var choices: [Choice]
}
