import ArgumentParser
import Evaluation
import Foundation
import Generation
import Models
import Training

/// The methods `recheck score baseline` runs (spec §4.1, [P] Tables 2 and 4).
enum ScoreBaselineMethod: String, CaseIterable, ExpressibleByArgument {
  case selfRefine = "self-refine"
  case star
  case starPlus = "star-plus"
  case pairSFT = "pair-sft"
  case pairSFTPlus = "pair-sft-plus"
  case singleTurnRL = "single-turn-rl"
  case multiTurnRL = "multi-turn-rl"
  case score

  /// The row label in the comparison table.
  var label: String {
    switch self {
    case .selfRefine: return "Self-Refine"
    case .star: return "STaR D_STaR"
    case .starPlus: return "STaR D+_STaR"
    case .pairSFT: return "Pair-SFT D_SFT"
    case .pairSFTPlus: return "Pair-SFT D+_SFT"
    case .singleTurnRL: return "single-turn RL"
    case .multiTurnRL: return "multi-turn RL (no Stage I, α=0)"
    case .score: return "SCoRe"
    }
  }
}

/// `recheck score baseline --method M --model DIR --data FILE --out RUN_DIR [knobs]`.
struct ScoreBaselineCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline",
    abstract: "Run a SCoRe baseline or ablation (or SCoRe itself, --method score) and evaluate it.")
  @OptionGroup var kernels: KernelOptions

  @OptionGroup var run: ScoreRunOptions
  @OptionGroup var rl: ScoreRLOptions
  @Option(help: "Method: \(ScoreBaselineMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
  var method: ScoreBaselineMethod
  @Option(help: "STaR iterations ([P]: 3).") var iterations = 3
  @Option(help: "SCoRe: steps of every Stage-I sub-stage.") var stage1Steps = 25
  @Option(help: "SCoRe: Stage-II steps.") var stage2Steps = 25

  func run() async throws {
    if method == .selfRefine { return try await selfRefine() }
    let (inputs, evalProblems, start) = try run.load(command: "score baseline --method \(method.rawValue)")
    let base = start.model
    try FileManager.default.createDirectory(at: run.outURL, withIntermediateDirectories: true)
    let sink = try ScoreSupport.metricsSink(run.outURL)
    let sft = SFTConfig(
      steps: rl.steps, batchSize: rl.batch, learningRate: rl.lr, warmupSteps: min(10, rl.steps / 10),
      maxLength: 1024, seed: run.seed, logEvery: 1)
    func manifest<C: Encodable>(_ config: C) throws -> ScoreRunManifest<C> {
      let m = ScoreRunManifest(
        command: "score baseline", method: method.rawValue, model: run.model, reference: nil, data: run.data,
        eval: run.eval, seed: run.seed, config: config)
      try AtomicFileWriter.writeJSON(m, to: run.outURL.appendingPathComponent("config.json"))
      return m
    }
    let rlConfig = rl.trainConfig(stage: .stageII, seed: run.seed, maxNewTokens: run.maxNewTokens)
    switch method {
    case .selfRefine:
      preconditionFailure("handled by selfRefine()")
    case .star, .starPlus:
      let config = SCoReSTaRConfig(
        iterations: iterations, samplesPerProblem: rl.samples, temperature: rl.temperature,
        maxNewTokens: run.maxNewTokens, includeCorrectToCorrect: method == .starPlus, sft: sft, seed: run.seed
      )
      let m = try manifest(config)
      let result = try await SCoReSTaRBaseline.run(
        base: base, inputs: inputs, config: config, sampler: run.sampler(inputs), onRecord: sink)
      try await run.finish(
        method: method.label, model: result.model, start: start, inputs: inputs, evalProblems: evalProblems,
        state: m)
    case .pairSFT, .pairSFTPlus:
      let config = SCoRePairSFTConfig(
        samplesPerProblem: rl.samples, temperature: rl.temperature, maxNewTokens: run.maxNewTokens,
        includeCorrectToCorrect: method == .pairSFTPlus, sft: sft, seed: run.seed)
      let m = try manifest(config)
      let result = try await SCoRePairSFTBaseline.run(
        base: base, inputs: inputs, config: config, sampler: run.sampler(inputs), onRecord: sink)
      try await run.finish(
        method: method.label, model: result.model, start: start, inputs: inputs, evalProblems: evalProblems,
        state: m)
    case .singleTurnRL:
      let m = try manifest(rlConfig)
      let result = try await SCoReRLMethods.singleTurn(
        base: base, inputs: inputs, config: rlConfig, onRecord: sink)
      try await run.finish(
        method: method.label, model: result.model, start: start, inputs: inputs, evalProblems: evalProblems,
        state: m)
    case .multiTurnRL:
      let m = try manifest(rlConfig)
      let result = try await SCoReRLMethods.multiTurnWithoutStageI(
        base: base, inputs: inputs, config: rlConfig, onRecord: sink)
      try await run.finish(
        method: method.label, model: result.model, start: start, inputs: inputs, evalProblems: evalProblems,
        state: m)
    case .score:
      let config = SCoReMethodConfig(rl: rlConfig, stageISteps: stage1Steps, stageIISteps: stage2Steps)
      let m = try manifest(config)
      let result = try await SCoReRLMethods.score(base: base, inputs: inputs, config: config, onRecord: sink)
      try await run.finish(
        method: method.label, model: result.model, start: start, inputs: inputs, evalProblems: evalProblems,
        state: m)
    }
  }
}

extension ScoreBaselineCommand {
  /// Self-Refine, the prompting-only baseline: samples through the local model or the
  /// `--api-base` server, then writes episodes.jsonl and evaluation.json (no training, no checkpoint).
  func selfRefine() async throws {
    let (inputs, evalProblems, model) = try run.loadSampler(command: "score baseline --method self-refine")
    try FileManager.default.createDirectory(at: run.outURL, withIntermediateDirectories: true)
    let config = SCoReSelfRefineConfig(maxNewTokens: run.maxNewTokens, seed: run.seed)
    try AtomicFileWriter.writeJSON(
      ScoreRunManifest(
        command: "score baseline", method: method.rawValue, model: run.model, reference: nil, data: run.data,
        eval: run.eval, seed: run.seed, config: config),
      to: run.outURL.appendingPathComponent("config.json"))
    var evalInputs = inputs
    evalInputs.problems = evalProblems
    let episodes = try await SCoReSelfRefineBaseline.run(model: model, inputs: evalInputs, config: config)
    try ScoreSupport.finish(method: method.label, episodes: episodes, out: run.outURL)
  }
}

/// `recheck score table RUN_DIR...`: [P] Table 2/4 rows and the edit-distance histograms.
struct ScoreTableCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "table",
    abstract: "Print Acc@t1, Acc@t2, Δ, Δi→c, Δc→i and edit-distance histograms of runs.")

  @Argument(help: "Run directories (each with evaluation.json) or evaluation.json files.") var runs: [String]
  @Option(help: "Histogram bins over [0, 1].") var bins = 10

  func run() throws {
    guard !runs.isEmpty else { throw ValidationError("give at least one run directory") }
    let evaluations = try runs.map { try SCoReRunEvaluation.read(from: URL(fileURLWithPath: $0)) }
    print(SCoReRunTable.render(evaluations, bins: bins), terminator: "")
  }
}
