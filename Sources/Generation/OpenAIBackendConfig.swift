import Foundation

/// Settings of `OpenAICompatibleModel` (CLI/config file → this struct → the backend).
///
/// The API key comes from `apiKey` or from the first line of `apiKeyFile`; it is sent only as the
/// `Authorization: Bearer` header, never logged, and left out of `description` and of encoding.
public struct OpenAIBackendConfig: Codable, Sendable, Equatable, CustomStringConvertible {
  /// Server root including `/v1`, e.g. `http://127.0.0.1:8080/v1`.
  public var baseURL: String
  /// The `model` field of every request.
  public var model: String
  public var apiKey: String?
  public var apiKeyFile: String?
  /// HTTP requests in flight at once, over all calls of this backend.
  public var maxConcurrency: Int
  /// Retries after the first attempt on 408/429/5xx, timeouts and connection errors.
  public var maxRetries: Int
  /// Per-request timeout, seconds.
  public var timeout: Double
  /// First backoff delay, seconds; attempt k waits min(maxBackoff, initialBackoff·2^k)·U[0.5, 1).
  public var initialBackoff: Double
  public var maxBackoff: Double
  /// Seed of the backoff jitter.
  public var jitterSeed: UInt64
  /// Ask for the sampled tokens' log-probabilities (`logprobs`); not every server offers them.
  public var requestLogProbs: Bool
  /// Ask for token ids (vLLM `return_token_ids`, llama.cpp `return_tokens`); strict servers reject it.
  public var requestTokenIDs: Bool
  /// Send `n` in one request (vLLM). Off: one request per sample with seed `seed + j`, which gives
  /// every sample its own reproducible seed on any server.
  public var nativeN: Bool

  public init(
    baseURL: String, model: String, apiKey: String? = nil, apiKeyFile: String? = nil, maxConcurrency: Int = 8,
    maxRetries: Int = 5, timeout: Double = 120, initialBackoff: Double = 0.5, maxBackoff: Double = 30,
    jitterSeed: UInt64 = 0, requestLogProbs: Bool = false, requestTokenIDs: Bool = false,
    nativeN: Bool = false
  ) {
    self.baseURL = baseURL
    self.model = model
    self.apiKey = apiKey
    self.apiKeyFile = apiKeyFile
    self.maxConcurrency = maxConcurrency
    self.maxRetries = maxRetries
    self.timeout = timeout
    self.initialBackoff = initialBackoff
    self.maxBackoff = maxBackoff
    self.jitterSeed = jitterSeed
    self.requestLogProbs = requestLogProbs
    self.requestTokenIDs = requestTokenIDs
    self.nativeN = nativeN
  }

  enum CodingKeys: String, CodingKey {
    case baseURL, model, apiKey, apiKeyFile, maxConcurrency, maxRetries, timeout, initialBackoff, maxBackoff
    case jitterSeed, requestLogProbs, requestTokenIDs, nativeN
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = OpenAIBackendConfig(baseURL: "", model: "")
    baseURL = try c.decode(String.self, forKey: .baseURL)
    model = try c.decode(String.self, forKey: .model)
    apiKey = try c.decodeIfPresent(String.self, forKey: .apiKey)
    apiKeyFile = try c.decodeIfPresent(String.self, forKey: .apiKeyFile)
    maxConcurrency = try c.decodeIfPresent(Int.self, forKey: .maxConcurrency) ?? d.maxConcurrency
    maxRetries = try c.decodeIfPresent(Int.self, forKey: .maxRetries) ?? d.maxRetries
    timeout = try c.decodeIfPresent(Double.self, forKey: .timeout) ?? d.timeout
    initialBackoff = try c.decodeIfPresent(Double.self, forKey: .initialBackoff) ?? d.initialBackoff
    maxBackoff = try c.decodeIfPresent(Double.self, forKey: .maxBackoff) ?? d.maxBackoff
    jitterSeed = try c.decodeIfPresent(UInt64.self, forKey: .jitterSeed) ?? d.jitterSeed
    requestLogProbs = try c.decodeIfPresent(Bool.self, forKey: .requestLogProbs) ?? d.requestLogProbs
    requestTokenIDs = try c.decodeIfPresent(Bool.self, forKey: .requestTokenIDs) ?? d.requestTokenIDs
    nativeN = try c.decodeIfPresent(Bool.self, forKey: .nativeN) ?? d.nativeN
  }

  /// Everything but `apiKey` (a key written to a results file or log would leak).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(baseURL, forKey: .baseURL)
    try c.encode(model, forKey: .model)
    try c.encodeIfPresent(apiKeyFile, forKey: .apiKeyFile)
    try c.encode(maxConcurrency, forKey: .maxConcurrency)
    try c.encode(maxRetries, forKey: .maxRetries)
    try c.encode(timeout, forKey: .timeout)
    try c.encode(initialBackoff, forKey: .initialBackoff)
    try c.encode(maxBackoff, forKey: .maxBackoff)
    try c.encode(jitterSeed, forKey: .jitterSeed)
    try c.encode(requestLogProbs, forKey: .requestLogProbs)
    try c.encode(requestTokenIDs, forKey: .requestTokenIDs)
    try c.encode(nativeN, forKey: .nativeN)
  }

  public var description: String {
    "OpenAIBackendConfig(baseURL: \(baseURL), model: \(model), apiKey: \(apiKey == nil ? "none" : "<redacted>"), "
      + "apiKeyFile: \(apiKeyFile ?? "none"), maxConcurrency: \(maxConcurrency), maxRetries: \(maxRetries), "
      + "timeout: \(timeout))"
  }

  /// The key to send: `apiKey`, else the first line of `apiKeyFile`, else none. Errors name the file,
  /// never its contents.
  public func resolvedAPIKey() throws -> String? {
    if let apiKey, !apiKey.isEmpty { return apiKey }
    guard let apiKeyFile else { return nil }
    guard let data = FileManager.default.contents(atPath: apiKeyFile) else {
      throw OpenAIBackendError.configuration("cannot read the API key file \(apiKeyFile)")
    }
    let key = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard let key, !key.isEmpty else {
      throw OpenAIBackendError.configuration("the API key file \(apiKeyFile) is empty")
    }
    return key
  }
}
