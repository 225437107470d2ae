/// How to pick each next token. `temperature == 0` is greedy decoding (argmax; ties go to the
/// lowest id). Top-k then top-p (nucleus) truncation apply to the temperature-scaled
/// distribution, as in Hugging Face's `generate` and vLLM.
public struct SamplingParams: Codable, Sendable, Hashable {
  public var temperature: Double
  /// Keep only the k most likely tokens (nil or 0: no limit).
  public var topK: Int?
  /// Keep the smallest set of most likely tokens whose probability reaches p (1: no limit).
  public var topP: Double
  public var maxNewTokens: Int
  /// Generation of a sequence ends after it samples one of these (the id is kept in `tokens`).
  public var stopTokenIDs: [Int]
  /// Generation ends when the text contains one of these; the text is cut before it (OpenAI's
  /// behaviour) and the tokens are kept up to the one that completed it.
  public var stopStrings: [String]

  public init(
    temperature: Double = 1, topK: Int? = nil, topP: Double = 1, maxNewTokens: Int = 128,
    stopTokenIDs: [Int] = [],
    stopStrings: [String] = []
  ) {
    self.temperature = temperature
    self.topK = topK
    self.topP = topP
    self.maxNewTokens = maxNewTokens
    self.stopTokenIDs = stopTokenIDs
    self.stopStrings = stopStrings
  }

  public static func greedy(maxNewTokens: Int = 128) -> SamplingParams {
    SamplingParams(temperature: 0, maxNewTokens: maxNewTokens)
  }
}

/// Why a sequence stopped.
public enum FinishReason: String, Codable, Sendable {
  case stopToken = "stop_token"
  case stopString = "stop_string"
  case length
}

/// One generated continuation.
public struct GeneratedSequence: Codable, Sendable, Equatable {
  /// Sampled ids (a final stop token included).
  public var tokens: [Int]
  /// Decoded text (stop token and stop string excluded).
  public var text: String
  /// log π(token) of each sampled token under the model's untempered, untruncated distribution
  /// (what vLLM reports and what RL's importance ratios need).
  public var logProbs: [Double]
  public var finishReason: FinishReason

  public init(tokens: [Int], text: String, logProbs: [Double], finishReason: FinishReason) {
    self.tokens = tokens
    self.text = text
    self.logProbs = logProbs
    self.finishReason = finishReason
  }
}
