import ArgumentParser
import Datasets
import Foundation
import Generation
import Rollouts
import Tokenizers
import Training

/// `recheck s2r sample (--model DIR|FILE.gguf | --api-base URL --model NAME) --data FILE.jsonl --out
/// DATA.jsonl [--samples 8 --temperature 0.8 --max-tokens 400 --seed 0 --chunk 16]`: the offline-RL
/// data (spec §5.1) — K self-verifying responses per problem, each scored by its final answer
/// (synthetic files: the last box's integer; MATH/GSM8K-style files: `MathGrader`, the prompt being
/// the model's chat template with the S²R system prompt, `S2RProblemSource`), one
/// `S2ROfflineRecord` line per problem. Resumable: a rerun skips problems already written
/// (seeds depend on the problem's index only). Feed the file to `recheck s2r rl --offline`.
struct S2RSampleCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample", abstract: "Sample scored S²R responses for offline RL (resumable).")
  @OptionGroup var kernels: KernelOptions

  @OptionGroup var backend: BackendOptions
  @Option(help: "Problems: a synthetic file (`recheck data synth`) or MATH/GSM8K-style JSONL.") var data:
    String
  @Option(
    help:
      "Chat template of the model to be trained, with --api-base on MATH/GSM8K data: a name (chatml, smollm2, llama3, plain) or that model's .gguf file / Hugging Face directory."
  )
  var template: String?
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
    let model: any LanguageModel
    let template: ChatTemplate
    if let remote = try backend.remoteModel() {
      model = remote
      if self.template == nil, try S2RCollectCommand.isBenchmark(data) {
        throw ValidationError(
          "with --api-base on MATH/GSM8K data give --template NAME|MODEL: the chat template of the model to be trained"
        )
      }
      template = try self.template.map(S2RSupport.template) ?? .plain
    } else {
      let path = try backend.localModel(for: "s2r sample", serverAllowed: true)
      let loaded = try TrainingModel.load(path, synthetic: true)
      template = try self.template.map(S2RSupport.template) ?? loaded.template
      model = NativeLanguageModel(
        name: backend.model ?? "native", model: loaded.model, tokenizer: loaded.tokenizer, template: template,
        maxBatch: 64)
    }
    let problems = try S2RProblemSource.load(data, template: template, command: "sample")
    let outURL = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(
      at: outURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    let writer = try ResumableJSONLWriter(url: outURL)
    let params = SamplingParams(temperature: temperature, maxNewTokens: maxTokens)
    let start = Date()
    var written = 0
    for first in stride(from: 0, to: problems.count, by: chunk) {
      let indices = (first..<min(first + chunk, problems.count)).filter {
        !writer.isFinished(problems[$0].id)
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
