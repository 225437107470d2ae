import ArgumentParser
import Datasets
import Foundation
import Generation
import Models
import Rollouts
import Tokenizers
import Training

/// The stage-0 verifier of benchmark data (spec §2.2): an OpenAI-compatible server, or by default
/// the policy itself.
struct S2RVerifierOptions: ParsableArguments {
  @Option(help: "Verifier server root including /v1 (default: the policy itself).") var verifierApiBase:
    String?
  @Option(help: "Verifier model name on --verifier-api-base.") var verifierModel: String?
  @Option(help: "File whose first line is the verifier's API key (never logged).") var verifierApiKeyFile:
    String?
  @Option(help: "Verifier sampling temperature (paper: 0.1).") var verifierTemperature = 0.1
  @Option(help: "Max new tokens per verification.") var verifierMaxTokens = 1024
  @Option(
    help: ArgumentHelp(
      "Chat template of the records, i.e. of the model to be trained: a name (chatml, smollm2, llama3, plain) "
        + "or that model's .gguf file / Hugging Face directory (its template is read; no weights loaded). "
        + "Default: the local policy's template; required with --api-base."))
  var template: String?
  @Option(help: "Use only the first N problems of --data (0: all).") var limit = 0

  /// `--template` as a template (`S2RSupport.template(_:)`).
  func resolvedTemplate() throws -> ChatTemplate? { try template.map(S2RSupport.template) }

  func validate() throws {
    if verifierApiBase != nil, verifierModel == nil {
      throw ValidationError("--verifier-api-base needs --verifier-model NAME")
    }
    if verifierApiBase == nil, verifierModel != nil || verifierApiKeyFile != nil {
      throw ValidationError(
        "--verifier-model and --verifier-api-key-file only apply with --verifier-api-base")
    }
    guard verifierMaxTokens > 0, verifierTemperature >= 0, limit >= 0 else {
      throw ValidationError("--verifier-max-tokens must be positive, --verifier-temperature and --limit ≥ 0")
    }
  }
}

/// Saved as `FILE.config.json` next to benchmark stage-0 data; a rerun must match it
/// (`resumes(_:)`: everything but the server addresses).
struct S2RBenchmarkCollectConfig: Codable, Equatable {
  var model: String
  var apiBase: String?
  var verifierApiBase: String?
  var verifierModel: String?
  var verifierTemperature: Double
  var verifierMaxTokens: Int
  var template: ChatTemplate
  var data: String
  var maxTokens: Int
  var behaviour: S2RBehaviourData

  /// Whether a run with these settings may resume `old`'s file: the same models, data and settings;
  /// the server URLs may differ (a restarted server often gets another port), but a server run is
  /// not resumed by a local model or the other way round.
  func resumes(_ old: S2RBenchmarkCollectConfig) -> Bool {
    guard (old.apiBase == nil) == (apiBase == nil), (old.verifierApiBase == nil) == (verifierApiBase == nil)
    else { return false }
    var previous = old
    previous.apiBase = apiBase
    previous.verifierApiBase = verifierApiBase
    return previous == self
  }
}

extension S2RCollectCommand {
  /// Stage 0 on MATH/GSM8K-style problems (`S2RBenchmarkCollector`).
  func runBenchmark() async throws {
    let (all, skipped, nonMath) = try S2RBenchmarkCollector.loadProblems(data)
    var problems = all
    for e in skipped.prefix(5) { Progress.say("collect: skipped \(e)") }
    if !skipped.isEmpty || nonMath > 0 {
      Progress.say(
        "collect: skipped \(skipped.count) unreadable rows (e.g. no answer)"
          + (nonMath > 0 ? " and \(nonMath) non-math problems" : ""))
    }
    if verifier.limit > 0 { problems = Array(problems.prefix(verifier.limit)) }
    guard !problems.isEmpty else { throw ValidationError("\(data): no math problems with an answer") }

    let behaviour = S2RBehaviourData(
      samplesPerProblem: samples, temperature: temperature ?? 0.7, seed: seed,
      singleAttemptFraction: singleAttemptFraction)
    let tokens = maxTokens ?? 2048
    let policy: any LanguageModel
    let template: ChatTemplate
    let modelName: String
    if let remote = try backend.remoteModel() {
      guard let named = try verifier.resolvedTemplate() else {
        throw ValidationError(
          "with --api-base give --template NAME|MODEL: the chat template of the model to be trained "
            + "(a name, or its .gguf file / Hugging Face directory)")
      }
      policy = remote
      template = named
      modelName = try backend.serverModelName()
    } else {
      modelName = try backend.localModel(for: "s2r collect", serverAllowed: true)
      let loaded = try TrainingModel.load(modelName)
      template = try verifier.resolvedTemplate() ?? loaded.template
      policy = NativeLanguageModel(
        name: URL(fileURLWithPath: modelName).lastPathComponent, model: loaded.model,
        tokenizer: loaded.tokenizer, template: template)
    }
    let verifierModel: any LanguageModel
    if let base = verifier.verifierApiBase, let name = verifier.verifierModel {
      verifierModel = try OpenAICompatibleModel(
        config: OpenAIBackendConfig(
          baseURL: base, model: name, apiKeyFile: verifier.verifierApiKeyFile,
          maxConcurrency: backend.maxConcurrency))
    } else {
      verifierModel = policy
    }
    let source = S2RLLMVerificationSource(
      model: verifierModel,
      params: SamplingParams(
        temperature: verifier.verifierTemperature, maxNewTokens: verifier.verifierMaxTokens),
      seed: seed)

    let config = S2RBenchmarkCollectConfig(
      model: modelName, apiBase: backend.apiBase, verifierApiBase: verifier.verifierApiBase,
      verifierModel: verifier.verifierModel, verifierTemperature: verifier.verifierTemperature,
      verifierMaxTokens: verifier.verifierMaxTokens, template: template, data: data, maxTokens: tokens,
      behaviour: behaviour)
    let outURL = URL(fileURLWithPath: out)
    let configURL = URL(fileURLWithPath: out + ".config.json")
    if FileManager.default.fileExists(atPath: configURL.path) {
      let old = try? JSONDecoder().decode(S2RBenchmarkCollectConfig.self, from: Data(contentsOf: configURL))
      guard let old, config.resumes(old) else {
        throw ValidationError(
          "\(out) was started with other settings (\(configURL.path)); use a new --out or the same options")
      }
    }
    try FileManager.default.createDirectory(
      at: outURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    try AtomicFileWriter.writeJSON(config, to: configURL)
    let perCall = chunk ?? 1  // benchmark data: one problem at a time unless asked (the paper's scripts)
    Progress.say(
      "collect: \(problems.count) problems, \(samples) samples each (T \(behaviour.temperature), "
        + "\(tokens) tokens), \(perCall) at a time, seed \(seed), policy \(backend.description), verifier "
        + (verifier.verifierApiBase.map { "openai \($0) \(verifier.verifierModel ?? "?")" } ?? "the policy"))
    var collector = S2RBenchmarkCollector(
      data: behaviour, policy: policy, verifier: source, maxNewTokens: tokens,
      format: S2RBenchmarkCollector.chatFormat(template: template))
    collector.problemsPerCall = perCall
    let start = Date()
    // A policy/verifier failure propagates as S2RBenchmarkError (problem named, finished ones kept).
    let summary = try await collector.collect(problems: problems, output: outURL) { done, total in
      Progress.say(Self.bar(done: done, total: total, seconds: Date().timeIntervalSince(start)))
    }
    print(
      "collected into \(out): \(summary.description); this run: \(summary.newProblems) problems, "
        + "\(summary.written) new records"
        + (skipped.isEmpty ? "" : "; \(skipped.count) rows skipped"))
  }

  /// `[#####.....] 5/10 problems  12.3s`
  static func bar(done: Int, total: Int, seconds: Double) -> String {
    let width = 20
    let filled = total > 0 ? done * width / total : width
    return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
      + String(format: "%d/%d problems  %.1fs", done, total, seconds)
  }
}
