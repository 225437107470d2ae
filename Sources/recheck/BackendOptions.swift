import ArgumentParser
import Foundation
import Generation

/// Where a sampling command gets its model: a local checkpoint (`--model DIR|FILE.gguf`) or an
/// OpenAI-compatible server (`--api-base URL --model NAME`, vLLM, SGLang, llama.cpp, Ollama).
/// Shared by every command that samples — `generate`, `eval`, `s2r collect`, `score baseline
/// --method self-refine` — as one `@OptionGroup`, so the flags read the same everywhere.
///
/// The API key comes from `--api-key` or the first line of `--api-key-file`; it only ever reaches
/// the `Authorization` header (`OpenAIBackendConfig` leaves it out of its description and encoding,
/// and `description` here redacts it), never a log line or a run's config file.
struct BackendOptions: ParsableArguments, CustomStringConvertible {
  @Option(help: "Local model (checkpoint directory or .gguf file); with --api-base, the server's model name.")
  var model: String?
  @Option(help: "OpenAI-compatible server root including /v1 (e.g. http://127.0.0.1:8080/v1).")
  var apiBase: String?
  @Option(help: "API key for --api-base (visible in the process list; prefer --api-key-file).")
  var apiKey: String?
  @Option(help: "File whose first line is the API key for --api-base (never logged).")
  var apiKeyFile: String?
  @Option(help: "Requests in flight at once (with --api-base).")
  var maxConcurrency = 8
  /// Older spelling of the server's model name (`recheck eval --model-name`); --model is preferred.
  @Option(help: .hidden) var modelName: String?

  var isRemote: Bool { apiBase != nil }

  func validate() throws {
    guard maxConcurrency >= 1 else { throw ValidationError("--max-concurrency must be ≥ 1") }
    if apiKey != nil, apiKeyFile != nil {
      throw ValidationError("give --api-key or --api-key-file, not both")
    }
    if apiBase == nil, apiKey != nil || apiKeyFile != nil || modelName != nil {
      throw ValidationError("--api-key, --api-key-file and --model-name only apply with --api-base URL")
    }
    if apiBase != nil, model != nil, modelName != nil, model != modelName {
      throw ValidationError("--model and --model-name disagree; give the server's model name once")
    }
  }

  /// The server's model name (with --api-base).
  func serverModelName() throws -> String {
    guard let name = modelName ?? model, !name.isEmpty else {
      throw ValidationError("--api-base needs --model NAME (the model name the server serves)")
    }
    return name
  }

  /// The backend settings of `--api-base`, or nil for a local model.
  func openAIConfig(requestLogProbs: Bool = false) throws -> OpenAIBackendConfig? {
    guard let apiBase else { return nil }
    return OpenAIBackendConfig(
      baseURL: apiBase, model: try serverModelName(), apiKey: apiKey, apiKeyFile: apiKeyFile,
      maxConcurrency: maxConcurrency, requestLogProbs: requestLogProbs)
  }

  /// The server model of `--api-base`, or nil for a local model.
  func remoteModel(requestLogProbs: Bool = false) throws -> OpenAICompatibleModel? {
    guard let config = try openAIConfig(requestLogProbs: requestLogProbs) else { return nil }
    return try OpenAICompatibleModel(config: config)
  }

  /// The local model path; `command` names the caller in the error when a server was given
  /// instead (training needs the weights in this process). `serverAllowed`: the missing-model
  /// error also offers `--api-base` (sampling commands).
  func localModel(for command: String, serverAllowed: Bool = false) throws -> String {
    if apiBase != nil { throw Self.localOnly(command) }
    guard let model else {
      throw ValidationError(
        "\(command) needs --model DIR|FILE.gguf" + (serverAllowed ? " (or --api-base URL --model NAME)" : ""))
    }
    return model
  }

  /// The error of a command that cannot use a server.
  static func localOnly(_ command: String) -> ValidationError {
    ValidationError(
      "\(command) trains or scores local weights and cannot use --api-base; a server only serves "
        + "sampling commands: generate, eval, s2r collect, s2r sample, score baseline --method self-refine")
  }

  /// For logs and config files: the server and model name or the local path, never the key.
  var description: String {
    if let apiBase {
      return "openai \(apiBase) \((modelName ?? model) ?? "?")"
    }
    return "native \(model ?? "?")"
  }
}

/// For commands that only train local weights (`recheck sft`, `recheck s2r rl`): accepts
/// `--api-base` just to explain why it cannot be used, instead of an unknown-option error.
struct LocalOnlyOptions: ParsableArguments {
  @Option(help: .hidden) var apiBase: String?

  func check(_ command: String) throws {
    if apiBase != nil { throw BackendOptions.localOnly(command) }
  }
}
