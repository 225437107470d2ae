import ArgumentParser
import Datasets
import Foundation
import Models
import Rollouts
import Tokenizers
import Training

/// `recheck s2r …`: the S²R pipeline as separate, resumable steps — `collect` (stage 0 data), `sft`
/// (behaviour initialisation), `rl` (outcome/process RL, online or offline), `sample` (offline-RL
/// data), `probe` (teacher-forced checks) — on synthetic files or MATH/GSM8K-style problems with real
/// checkpoints.
struct S2RCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "s2r",
    abstract:
      "S²R on synthetic or MATH/GSM8K problems: stage-0 data, behaviour SFT, online RL, offline-RL data and RL, check probe.",
    subcommands: [
      S2RCollectCommand.self, SFTCommand.self, S2RRLCommand.self, S2RSampleCommand.self, S2RProbeCommand.self,
    ])
}

/// Saved as `FILE.config.json` next to the collected data; a rerun must match it.
struct S2RCollectConfig: Codable, Equatable {
  var model: String
  /// The OpenAI-compatible server root when attempts came from `--api-base` (nil: local model).
  var apiBase: String?
  var data: String
  var chunkSize: Int
  var behaviour: S2RBehaviourData
}

/// `recheck s2r collect --model DIR|FILE.gguf --data FILE.jsonl --out FILE.jsonl [--samples 5
/// --temperature T --seed S --single-attempt-fraction 0 --max-tokens N]`: S²R stage 0 (spec §2) —
/// sample K attempts per problem, verify each distinct answer, assemble trajectories — appending
/// `S2RSFTExample` lines keyed by problem id; rerunning the same command resumes.
///
/// - Synthetic files (`recheck data synth`): verifications come from the task generator
///   (programmatic), attempts from a char model or `--api-base` (text completions); `--chunk`.
/// - MATH/GSM8K-style files (`recheck data check` layouts): the policy (local GGUF/HF model or
///   `--api-base URL --model NAME`) answers with the paper's system prompt in its chat format
///   (default T 0.7, 2048 tokens), `MathGrader` grades, and one verifier call per distinct answer
///   (`--verifier-api-base URL --verifier-model NAME`; default: the policy itself, T 0.1) with the
///   official confirmative prompt; see `S2RCollectCommand+Benchmark.swift`.
struct S2RCollectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "collect", abstract: "Stage 0: sample, verify and assemble S²R trajectories (resumable).")
  @OptionGroup var kernels: KernelOptions

  @OptionGroup var backend: BackendOptions
  @Option(help: "Problems: a synthetic file (`recheck data synth`) or MATH/GSM8K-style JSONL.") var data:
    String
  @Option(help: "Output JSONL of S2RSFTExample records (appended to; reruns resume).") var out: String
  @Option(help: "Attempts sampled per problem (K).") var samples = 5
  @Option(help: "Sampling temperature (default: 1 synthetic, 0.7 benchmark data).") var temperature: Double?
  @Option(help: "Seed of sampling and trajectory assembly.") var seed: UInt64 = 0
  @Option(help: "Probability of an extra k = 1 trajectory per solvable problem ([OURS]; 0 = paper).")
  var singleAttemptFraction = 0.0
  @Option(
    help: ArgumentHelp(
      "Problems per chunk, sampled and verified together; records are written after each chunk "
        + "(default: 64 synthetic; 1 benchmark data — raise it for a server with several slots or a local "
        + "model's batch)."))
  var chunk: Int?
  @Option(
    help: "Max new tokens per attempt (default: 96 synthetic — local char models always 96 — 2048 benchmark)."
  )
  var maxTokens: Int?
  @OptionGroup var verifier: S2RVerifierOptions

  func validate() throws {
    guard samples > 0 else { throw ValidationError("--samples must be positive") }
    guard (chunk ?? 1) > 0 else { throw ValidationError("--chunk must be positive") }
    guard (maxTokens ?? 1) > 0 else { throw ValidationError("--max-tokens must be positive") }
    guard (0...1).contains(singleAttemptFraction) else {
      throw ValidationError("--single-attempt-fraction must lie in [0, 1]")
    }
  }

  func run() async throws {
    if try Self.isBenchmark(data) { return try await runBenchmark() }
    if verifier.verifierApiBase != nil || verifier.template != nil || verifier.limit > 0 {
      throw ValidationError(
        "\(data) is a synthetic file: its verifications are programmatic; --verifier-*, --template and --limit "
          + "apply to MATH/GSM8K-style data only")
    }
    let temperature = temperature ?? 1
    let maxTokens = maxTokens ?? 96
    let chunk = chunk ?? 64
    let raw = try SyntheticDatasetFile.read(from: data)
    let problems = S2RStage0Collector.deduplicated(raw)
    guard !problems.isEmpty else { throw ValidationError("\(data): no problems") }
    let behaviour = S2RBehaviourData(
      samplesPerProblem: samples, temperature: temperature, seed: seed,
      singleAttemptFraction: singleAttemptFraction)
    let remote = try backend.remoteModel()
    let model =
      try remote.map { _ in try backend.serverModelName() }
      ?? backend.localModel(for: "s2r collect", serverAllowed: true)
    let config = S2RCollectConfig(
      model: model, apiBase: backend.apiBase, data: data, chunkSize: chunk, behaviour: behaviour)
    let outURL = URL(fileURLWithPath: out)
    let configURL = URL(fileURLWithPath: out + ".config.json")
    if let old = try? JSONDecoder().decode(S2RCollectConfig.self, from: Data(contentsOf: configURL)),
      old.behaviour != behaviour || old.chunkSize != chunk || old.apiBase != config.apiBase
    {
      throw ValidationError(
        "\(out) was started with other settings (\(configURL.path)); use a new --out or the same options")
    }
    try FileManager.default.createDirectory(
      at: outURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    try AtomicFileWriter.writeJSON(config, to: configURL)
    if raw.count != problems.count {
      Progress.say("collect: dropped \(raw.count - problems.count) repeated problems (ids are problem texts)")
    }
    Progress.say(
      "collect: \(problems.count) problems, \(samples) samples each, seed \(seed), \(backend.description)")
    let start = Date()
    let collector: S2RStage0Collector
    if let remote {
      collector = S2RStage0Collector(
        data: behaviour, model: remote, maxNewTokens: maxTokens, chunkSize: chunk)
    } else {
      let loaded = try S2RSupport.loadCharModel(model)
      collector = S2RStage0Collector(
        data: behaviour, base: loaded.model, tokenizer: loaded.tokenizer, chunkSize: chunk)
    }
    let summary = try await collector.collect(problems: problems, output: outURL) { done, total in
      Progress.say(
        String(format: "collect %d/%d problems  (%.1fs)", done, total, Date().timeIntervalSince(start)))
    }
    let all = try JSONLReader.read(S2RSFTExample.self, from: outURL)
    let histogram = Dictionary(grouping: all, by: \.wrongAttempts).mapValues(\.count).sorted {
      $0.key < $1.key
    }
    print(
      "collected \(all.count) trajectories in \(out) (\(summary.written) new, \(summary.skippedChunks)/\(summary.chunks) chunks already done; wrong attempts → count: \(histogram.map { "\($0.key)→\($0.value)" }.joined(separator: ", ")))"
    )
  }
}

extension S2RCollectCommand {
  /// Whether `path` holds benchmark problems rather than synthetic ones (layout of its first line).
  static func isBenchmark(_ path: String) throws -> Bool {
    let reader = try JSONLLineReader(path: path)
    while let line = try reader.next() {
      if line.text.allSatisfy(\.isWhitespace) { continue }
      let record = try DatasetRecord(text: line.text, file: path, line: line.number)
      return DatasetFormat.detect(record) != .synthetic
    }
    throw ValidationError("\(path): no problems")
  }
}
