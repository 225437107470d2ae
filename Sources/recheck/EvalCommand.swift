import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Generation
import Rollouts
import Verifiers

extension SCoRePromptLayout: ExpressibleByArgument {}
extension EvalS2RMarkerStyle: ExpressibleByArgument {}

/// `recheck eval --data FILE (--model DIR|FILE.gguf | --api-base URL --model NAME) --out RUN_DIR
/// [--protocol single|score|s2r] …`: evaluates a model on a data set under one protocol, appending
/// one line per problem to RUN_DIR/results.jsonl (resumable: rerun the same command after an
/// interruption), then writes RUN_DIR/summary.json and prints the summary table.
struct EvalCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate a model (single attempt, SCoRe N turns, or S²R self-verification); resumable.")
  @OptionGroup var kernels: KernelOptions

  enum ProtocolName: String, ExpressibleByArgument, CaseIterable { case single, score, s2r }

  @Option(help: "Data set JSONL (MATH, GSM8K, HumanEval, MBPP, synthetic, …).") var data: String
  @Option(help: "Run directory: config.json, results.jsonl, summary.json.") var out: String
  @Option(name: .customLong("protocol"), help: "single | score | s2r.") var evalProtocol: ProtocolName =
    .single
  @Option(help: "SCoRe: attempts per problem.") var turns = 2
  @Option(help: "S²R: attempts budget of the self-verifying response.") var maxAttempts = 4
  @Option(help: "S²R marker strings: sft (full) or rl (\"Wait,\").") var s2rMarkers: EvalS2RMarkerStyle = .sft

  // The model: native (`--model DIR|FILE.gguf`) or a server (`--api-base URL --model NAME`); any
  // `LanguageModel` value works, the harness needs nothing else.
  @OptionGroup var backend: BackendOptions
  @Option(help: "Tokenizer file (default: next to the model, or the GGUF's own).") var tokenizer: String?
  @Option(help: "Chat template: chatml, smollm2, llama3, plain (default: guessed from the tokenizer).")
  var chatTemplate: String?
  @Option(help: "Prompt layout: chat or text (default: chat unless the template is plain).")
  var layout: SCoRePromptLayout?

  @Option(help: "Sampling temperature (0 = greedy, the papers' evaluation setting).") var temperature = 0.0
  @Option(help: "Top-p.") var topP = 1.0
  @Option(help: "Seed of every request (with the problem id and turn).") var seed: UInt64 = 0
  @Option(help: "New tokens per attempt (S²R: per whole response).") var maxTokens = 1024
  @Option(help: "Evaluate only the first N problems.") var limit: Int?
  @Option(help: "Problems per backend call.") var batchSize = 8
  @Option(help: "Bootstrap resamples for the intervals.") var bootstrap = 1000

  @Option(help: "Code: wall-clock limit per program, seconds.") var timeout: Double = 10
  @Option(help: "Code: Python interpreter for the sandbox.") var python = "/usr/bin/python3"
  @Flag(help: "No progress bar.") var quiet = false

  func run() async throws {
    let items = try EvalDataset.load(data, limit: limit)
    let (model, backend, defaultLayout) = try makeModel()
    let proto: EvalProtocol
    switch evalProtocol {
    case .single: proto = .single
    case .score:
      guard turns >= 1 else { throw ValidationError("--turns must be ≥ 1") }
      proto = .score(turns: turns)
    case .s2r:
      guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be ≥ 1") }
      proto = .s2r(maxAttempts: maxAttempts)
    }
    guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be ≥ 1") }
    let config = EvalConfig(
      dataset: data, limit: limit, evalProtocol: proto,
      params: SamplingParams(temperature: temperature, topP: topP, maxNewTokens: maxTokens), seed: seed,
      layout: layout ?? defaultLayout, batchSize: batchSize, s2rMarkers: s2rMarkers,
      bootstrapResamples: bootstrap, modelName: model.name)
    let dir = EvalRunDirectory(url: URL(fileURLWithPath: out))
    try dir.prepare(.init(config: config, backend: backend, recheckVersion: RecheckVersion.string))

    var sandbox: Sandbox?
    if items.contains(where: { $0.task == .humanEval || $0.task == .mbpp }) {
      var sc = SandboxConfig(python: python)
      sc.limits.wallSeconds = timeout
      sc.limits.cpuSeconds = max(1, Int(timeout.rounded(.up)))
      sandbox = try Sandbox.checked(config: sc)
    }
    let writer = try ResumableJSONLWriter(url: dir.resultsURL)
    if writer.repairedBytes > 0 {
      warn("repaired a partly written last line (\(writer.repairedBytes) bytes)")
    }
    let runner = EvalRunner(model: model, config: config, grader: EvalGrader(sandbox: sandbox))
    let start = Date()
    let already = items.count { writer.isFinished($0.problem.id) }
    if already > 0 {
      warn("resuming: \(already) of \(items.count) problems already in \(dir.resultsURL.path)")
    }
    try await runner.run(items, writer: writer) { p in
      guard !quiet else { return }
      let bar = EvalProgressBar.render(
        done: p.done, total: p.total, elapsed: Date().timeIntervalSince(start), alreadyDone: p.resumed)
      FileHandle.standardError.write(Data(("\r" + bar).utf8))
    }
    if !quiet { FileHandle.standardError.write(Data("\n".utf8)) }

    let wanted = Set(items.map(\.problem.id))
    let records = try dir.records().filter { wanted.contains($0.id) }
    let summary = try EvalSummary.compute(
      records, name: model.name, evalProtocol: proto, resamples: bootstrap, confidence: config.confidence,
      seed: seed)
    try dir.writeSummary(summary)
    print(
      "\(model.name) on \(DatasetLoader.sourceName(data)), protocol \(proto.name), \(records.count) problems")
    print(summary.table(), terminator: "")
    print("results: \(dir.resultsURL.path)\nsummary: \(dir.summaryURL.path)")
  }

  /// The backend, a description for config.json, and its natural prompt layout.
  func makeModel() throws -> (any LanguageModel, String, SCoRePromptLayout) {
    if let remote = try backend.remoteModel(requestLogProbs: true) {
      // Chat endpoints format the conversation server-side; the text layout sends raw prompts.
      return (remote, backend.description, .chat)
    }
    let model = try backend.localModel(for: "recheck eval", serverAllowed: true)
    let native = try EvalModelLoader.native(model: model, tokenizer: tokenizer, template: chatTemplate)
    return (
      native, "native \(model) (template \(native.template))", native.template == .plain ? .text : .chat
    )
  }

  func warn(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
