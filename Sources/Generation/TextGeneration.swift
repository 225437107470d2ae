import Foundation
import Models
import Tokenizers

/// One text-in, text-out generation (what `recheck generate` runs): encode the prompt (optionally
/// as one user turn of the model's chat template), sample until a stop token or `maxTokens`, and
/// stream the decoded text as it completes.
public struct TextGenerationConfig: Codable, Sendable, Equatable {
  public var prompt: String
  /// Wrap `prompt` as a single user message in the bundle's chat template (with the generation
  /// prompt, so the reply starts right after it).
  public var chat: Bool
  public var maxTokens: Int
  /// 0 = greedy.
  public var temperature: Double
  public var topP: Double
  public var seed: UInt64

  public init(
    prompt: String, chat: Bool = false, maxTokens: Int = 128, temperature: Double = 0, topP: Double = 1,
    seed: UInt64 = 0
  ) {
    self.prompt = prompt
    self.chat = chat
    self.maxTokens = maxTokens
    self.temperature = temperature
    self.topP = topP
    self.seed = seed
  }
}

/// What one generation produced.
public struct TextGenerationResult: Codable, Sendable, Equatable {
  /// The reply: `tokenIDs` decoded (special tokens kept, the final stop token left out).
  public var text: String
  /// Sampled ids without the stop token that ended generation (so `decode(tokenIDs) == text`).
  public var tokenIDs: [Int]
  /// Sampled tokens (stop token included) per second of wall time, prefill included.
  public var tokensPerSecond: Double
  public var promptTokenCount: Int
  public var finishReason: FinishReason

  enum CodingKeys: String, CodingKey {
    case text
    case tokenIDs = "token_ids"
    case tokensPerSecond = "tokens_per_second"
    case promptTokenCount = "prompt_tokens"
    case finishReason = "finish_reason"
  }
}

/// Errors in a generation request, each naming the offending value.
public enum TextGenerationError: Error, Equatable, CustomStringConvertible {
  case invalid(String)
  public var description: String {
    switch self {
    case .invalid(let why): return "invalid generation request: \(why)"
    }
  }
}

public enum TextGeneration {
  /// The prompt's ids as the model sees them: the rendered chat turn (special tokens parsed), or
  /// plain text (BOS first when the tokenizer asks for it, BOS/EOS alone for an empty text).
  public static func promptIDs(
    _ config: TextGenerationConfig, tokenizer: any Tokenizer, template: ChatTemplate
  )
    -> [Int]
  {
    if config.chat {
      return tokenizer.encodeWithSpecial(template.render([.user(config.prompt)], addGenerationPrompt: true))
    }
    let addBOS = (tokenizer as? BPETokenizer)?.addBOSByDefault ?? false
    var ids = tokenizer.encode(config.prompt, options: EncodeOptions(addBOS: addBOS))
    if ids.isEmpty, let start = tokenizer.bosTokenID ?? tokenizer.eosTokenID { ids = [start] }
    return ids
  }

  /// Runs `config` on `bundle`; `onText` receives each piece of text as soon as its UTF-8 is
  /// complete (their concatenation is `text`). Quantized models use an F16-rounded KV cache, as
  /// llama.cpp does.
  public static func run(
    _ bundle: ModelBundle, config: TextGenerationConfig, onText: (String) -> Void = { _ in }
  ) throws -> TextGenerationResult {
    try run(bundle, tokenizer: bundle.tokenizer, config: config, onText: onText)
  }

  /// `run` with the tokenizer's concrete type opened (StreamingDecoder is generic over it).
  private static func run<T: Tokenizer>(
    _ bundle: ModelBundle, tokenizer: T, config: TextGenerationConfig, onText: (String) -> Void
  ) throws -> TextGenerationResult {
    guard config.maxTokens >= 1 else {
      throw TextGenerationError.invalid("maxTokens \(config.maxTokens) < 1")
    }
    guard config.temperature >= 0, config.temperature.isFinite else {
      throw TextGenerationError.invalid("temperature \(config.temperature) is not a finite number ≥ 0")
    }
    guard config.topP > 0, config.topP <= 1 else {
      throw TextGenerationError.invalid("topP \(config.topP) is not in (0, 1]")
    }
    let prompt = promptIDs(config, tokenizer: tokenizer, template: bundle.template)
    let limit = bundle.model.config.maxPositionEmbeddings
    guard prompt.count + config.maxTokens <= limit else {
      throw TextGenerationError.invalid(
        "\(prompt.count) prompt tokens + \(config.maxTokens) new tokens exceed the model's \(limit) positions"
      )
    }
    if let bad = prompt.first(where: { $0 >= bundle.model.config.vocabSize }) {
      throw TextGenerationError.invalid("prompt token \(bad) is outside the model's vocabulary")
    }
    let params = SamplingParams(
      temperature: config.temperature, topP: config.topP, maxNewTokens: config.maxTokens,
      stopTokenIDs: bundle.stopTokenIDs)
    let stops = Set(bundle.stopTokenIDs)
    var decoder = StreamingDecoder(tokenizer: tokenizer)
    let generator = Generator(
      model: bundle.model, tokenizer: tokenizer, halfPrecisionCache: bundle.model.isQuantized)
    let start = DispatchTime.now().uptimeNanoseconds
    let out = generator.generate(prompts: [prompt], params: params, seeds: [config.seed]) { _, id in
      guard !stops.contains(id) else { return }
      let piece = decoder.append(id)
      if !piece.isEmpty { onText(piece) }
    }[0]
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let tail = decoder.finish()
    if !tail.isEmpty { onText(tail) }
    var ids = out.tokens
    if out.finishReason == .stopToken { ids.removeLast() }
    return TextGenerationResult(
      text: tokenizer.decode(ids), tokenIDs: ids,
      tokensPerSecond: Double(out.tokens.count) / max(seconds, 1e-9),
      promptTokenCount: prompt.count, finishReason: out.finishReason)
  }
}
