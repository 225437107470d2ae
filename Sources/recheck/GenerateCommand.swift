import ArgumentParser
import Foundation
import Generation
import Models
import Tokenizers

/// `recheck generate`: continue a prompt with a local model (checkpoint directory or .gguf),
/// streaming the reply to stdout, or printing one JSON object with `--json`; with `--api-base URL
/// --model NAME` the same request goes to an OpenAI-compatible server instead.
struct GenerateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Generate text from a checkpoint directory, a .gguf file or an OpenAI-compatible server.")
  @OptionGroup var kernels: KernelOptions

  @OptionGroup var backend: BackendOptions

  @Option(help: "Prompt text.")
  var prompt: String

  @Flag(help: "Wrap the prompt as one user turn in the model's chat template.")
  var chat = false

  @Option(help: "Most new tokens (generation also stops at EOS / end of turn).")
  var maxTokens: Int = 128

  @Option(help: "Sampling temperature; 0 is greedy.")
  var temperature: Double = 0

  @Option(help: "Nucleus sampling: keep the most likely tokens up to this probability mass.")
  var topP: Double = 1

  @Option(help: "Seed of the sampler.")
  var seed: UInt64 = 0

  @Flag(help: "Print one JSON object {text, token_ids, tokens_per_second} instead of streaming text.")
  var json = false

  @Flag(help: "Dequantise a GGUF's weights to Float32 instead of running the quantized kernels.")
  var dequantize = false

  func validate() throws {
    guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
    guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature must be ≥ 0") }
    guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must be in (0, 1]") }
  }

  func run() async throws {
    let config = TextGenerationConfig(
      prompt: prompt, chat: chat, maxTokens: maxTokens, temperature: temperature, topP: topP, seed: seed)
    // --json reports tokens/s: ask for log-probs, one per sampled token, to count them.
    if let remote = try backend.remoteModel(requestLogProbs: json) {
      return try await runRemote(remote, config: config)
    }
    let model = try backend.localModel(for: "recheck generate", serverAllowed: true)
    let bundle = try ModelBundle.load(URL(fileURLWithPath: model), keepQuantized: !dequantize)
    if json {
      let result = try TextGeneration.run(bundle, config: config)
      let object: [String: Any] = [
        "text": result.text, "token_ids": result.tokenIDs, "tokens_per_second": result.tokensPerSecond,
      ]
      let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
      return
    }
    let stdout = FileHandle.standardOutput
    let result = try TextGeneration.run(bundle, config: config) { stdout.write(Data($0.utf8)) }
    stdout.write(Data("\n".utf8))
    FileHandle.standardError.write(
      Data(
        String(
          format: "[%d prompt tokens, %d new tokens, %.1f tokens/s, %@]\n", result.promptTokenCount,
          result.tokenIDs.count, result.tokensPerSecond, result.finishReason.rawValue
        ).utf8))
  }

  /// One request to the server: `--chat` sends a chat completion (the server applies its template),
  /// otherwise a text completion. Token ids are printed only when the server returns them.
  func runRemote(_ remote: OpenAICompatibleModel, config: TextGenerationConfig) async throws {
    let request = CompletionRequest(
      prompt: config.chat ? .chat([.user(config.prompt)]) : .text(config.prompt),
      params: SamplingParams(
        temperature: config.temperature, topP: config.topP, maxNewTokens: config.maxTokens),
      seed: config.seed)
    let start = Date()
    guard let sequence = try await remote.complete([request]).first?.first else {
      throw ValidationError("\(backend.description): the server returned no completion")
    }
    let seconds = max(Date().timeIntervalSince(start), 1e-9)
    let tokenCount = sequence.tokens.isEmpty ? sequence.logProbs.count : sequence.tokens.count
    if json {
      let object: [String: Any] = [
        "text": sequence.text, "token_ids": sequence.tokens,
        "tokens_per_second": Double(tokenCount) / seconds,
      ]
      let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
      return
    }
    print(sequence.text)
    FileHandle.standardError.write(
      Data(
        "[\(backend.description), \(sequence.finishReason.rawValue), \(String(format: "%.1f", seconds)) s]\n"
          .utf8))
  }
}
