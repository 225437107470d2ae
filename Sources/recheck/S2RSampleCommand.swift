import ArgumentParser
import Datasets
import Foundation
import Generation
import Rollouts
import Training

/// `recheck s2r sample (--model DIR | --api-base URL --model NAME) --data FILE.jsonl --out DATA.jsonl
/// [--samples 8 --temperature 0.8 --max-tokens 400 --seed 0 --chunk 16]`: the offline-RL data
/// (spec §5.1) — K self-verifying responses per problem, each scored by its final boxed answer,
/// one `S2ROfflineRecord` line per problem. Resumable: a rerun skips problems already written
/// (seeds depend on the problem's index only). Feed the file to `recheck s2r rl --offline`.
struct S2RSampleCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample", abstract: "Sample scored S²R responses for offline RL (resumable).")
  @OptionGroup var kernels: KernelOptions

  @OptionGroup var backend: BackendOptions
  @Option(help: "Synthetic problems (`recheck data synth`).") var data: String
  @Option(help: "Output JSONL of S2ROfflineRecord lines (appended to; reruns resume).") var out: String
  @Option(help: "Responses per problem (paper: 8).") var samples = 8
  @Option(help: "Sampling temperature (paper: 0.8).") var temperature = 0.8
  @Option(help: "Max new tokens per response.") var maxTokens = 400
  @Option(help: "Seed of sampling.") var seed: UInt64 = 0
  @Option(help: "Problems per backend call (records are written after each).") var chunk = 16

  func validate() throws {
    guard samples > 0, maxTokens > 0, chunk > 0 else {
      throw ValidationError("--samples, --max-tokens and --chunk must be positive")
    }
    guard temperature >= 0 else { throw ValidationError("--temperature must be ≥ 0") }
  }

  func run() async throws {
    let problems = S2RStage0Collector.deduplicated(try SyntheticDatasetFile.read(from: data))
    guard !problems.isEmpty else { throw ValidationError("\(data): no problems") }
    let model: any LanguageModel
    if let remote = try backend.remoteModel() {
      model = remote
    } else {
      let loaded = try S2RSupport.loadModel(try backend.localModel(for: "s2r sample", serverAllowed: true))
      model = NativeLanguageModel(
        name: backend.model ?? "native", model: loaded.model, tokenizer: loaded.tokenizer, template: .plain,
        maxBatch: 64)
    }
    let outURL = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(
      at: outURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    let writer = try ResumableJSONLWriter(url: outURL)
    let params = SamplingParams(temperature: temperature, maxNewTokens: maxTokens)
    let start = Date()
    var written = 0
    for first in stride(from: 0, to: problems.count, by: chunk) {
      let indices = (first..<min(first + chunk, problems.count)).filter {
        !writer.isFinished(problems[$0].text)
      }
      guard let lo = indices.first else { continue }
      // Contiguous runs keep each problem's seed (its index) whatever was written before.
      let slice = Array(problems[lo...indices.last!])
      let records = try await S2ROfflineData.sample(
        model: model, problems: slice, first: lo, samplesPerProblem: samples, params: params, seed: seed)
      for r in records where !writer.isFinished(r.id) {
        try writer.append(r, id: r.id)
        written += 1
      }
      Progress.say(
        String(
          format: "sample %d/%d problems  (%.1fs)", min(first + chunk, problems.count), problems.count,
          Date().timeIntervalSince(start)))
    }
    let all = try JSONLReader.read(S2ROfflineRecord.self, from: outURL)
    let accuracy = all.reduce(0) { $0 + $1.accuracy } / Double(max(all.count, 1))
    print(
      "\(all.count) problems × \(samples) responses in \(out) (\(written) new; mean accuracy "
        + String(format: "%.3f", accuracy) + ", \(backend.description))")
  }
}
