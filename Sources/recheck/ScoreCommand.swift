import ArgumentParser
import Evaluation
import Foundation
import Generation
import Models
import NN
import Rollouts
import Tokenizers
import Training

/// `recheck score <train|baseline|table>`: SCoRe (spec score.md) and its baselines over a model
/// directory and a JSONL data file, each run writing config.json, metrics.jsonl, a checkpoint,
/// episodes.jsonl and evaluation.json into its run directory.
struct ScoreCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "score", abstract: "SCoRe self-correction RL, its baselines, and the comparison table.",
    subcommands: [
      ScoreBaseCommand.self, ScoreTrainCommand.self, ScoreBaselineCommand.self, ScoreTableCommand.self,
    ])
}

/// Options every training/baseline run takes. `--model` is a GGUF file or a model directory (Hugging
/// Face layout, or Recheck's with char_tokenizer.json; see `TrainingModel`); only the prompting baseline
/// (`score baseline --method self-refine`) may name a server's model instead (`--api-base`).
struct ScoreRunOptions: ParsableArguments {
  @OptionGroup var backend: BackendOptions
  @Option(help: "Training problems: synthetic JSONL (`recheck data synth`) or MATH-style JSONL.") var data:
    String
  @Option(help: "Run directory for config, metrics, checkpoint and evaluation.") var out: String
  @Option(help: "Evaluation problems (default: --data).") var eval: String?
  @Option(help: "Seed of the run.") var seed: UInt64 = 0
  @Option(help: "Max new tokens per attempt (training and evaluation).") var maxNewTokens = 96
  @Option(help: "Attempts in the greedy evaluation after training.") var evalTurns = 2

  /// The model as config files name it: the local directory, or "openai URL NAME".
  var model: String { backend.isRemote ? backend.description : backend.model ?? "" }

  /// Training inputs, evaluation problems and the base model (`TrainingModel`: GGUF, Hugging Face
  /// or char-tokenizer directory); `command` names the caller in the error when `--api-base` was
  /// given (training needs local weights). A chat model on MATH-style data is prompted through its
  /// own chat template (the layout a server gets); synthetic data and char models use plain text.
  func load(command: String) throws -> (
    inputs: SCoReRunInputs, evalProblems: [SCoReProblem], start: TrainingModel
  ) {
    let path = try backend.localModel(for: command)
    let (problems, prompts, checker) = try ScoreSupport.loadData(data)
    let evalProblems = try eval.map { try ScoreSupport.loadData($0).problems } ?? problems
    let start = try TrainingModel.load(path, synthetic: prompts.task == .synthetic)
    let chat = prompts.task != .synthetic && start.isBPE && start.template != .plain
    let inputs = SCoReRunInputs(
      tokenizer: start.tokenizer, prompts: prompts, layout: chat ? .chat : .text,
      template: chat ? start.template : .plain, problems: problems, checker: checker)
    return (inputs, evalProblems, start)
  }

  /// Inputs, evaluation problems and a sampler for prompting-only methods: the `--api-base` server
  /// (text layout for synthetic data, whose prompts are plain text; chat otherwise), else the local
  /// model behind `SCoReRunInputs.nativeModel`.
  func loadSampler(command: String) throws -> (
    inputs: SCoReRunInputs, evalProblems: [SCoReProblem], model: any LanguageModel
  ) {
    guard let remote = try backend.remoteModel() else {
      let (inputs, evalProblems, start) = try load(command: command)
      return (inputs, evalProblems, sampler(inputs)(start.model))
    }
    let (problems, prompts, checker) = try ScoreSupport.loadData(data)
    let evalProblems = try eval.map { try ScoreSupport.loadData($0).problems } ?? problems
    // The server tokenizes; the inputs' tokenizer only serves native samplers and stays unused.
    let inputs = SCoReRunInputs(
      tokenizer: SyntheticFormat.tokenizer(), prompts: prompts,
      layout: prompts.task == .synthetic ? .text : .chat, template: .plain, problems: problems,
      checker: checker)
    return (inputs, evalProblems, remote)
  }

  var outURL: URL { URL(fileURLWithPath: out) }

  /// The sampler over a transformer — the seam where an `--api-base` server can replace it.
  func sampler(_ inputs: SCoReRunInputs) -> SCoReSamplerFactory { { inputs.nativeModel($0) } }

  /// Greedy evaluation of `model`, then episodes.jsonl + evaluation.json; saves the model as a
  /// checkpoint under `out/model` with `state` and the tokenizer files of `start` (a Hugging Face
  /// directory for BPE models).
  func finish<State: Encodable>(
    method: String, model: Transformer, start: TrainingModel, inputs: SCoReRunInputs,
    evalProblems: [SCoReProblem], state: State, optimizer: AdamW? = nil
  ) async throws {
    let (tokenizerFile, files) = try start.checkpointFiles()
    try TrainingCheckpoint.save(
      to: outURL.appendingPathComponent("model"), model: model, optimizer: optimizer, state: state,
      tokenizer: tokenizerFile, files: files)
    let episodes = try await SCoReRunEvaluation.rollout(
      model: sampler(inputs)(model), prompts: inputs.prompts, layout: inputs.layout, problems: evalProblems,
      checker: inputs.checker, turns: evalTurns, maxNewTokens: maxNewTokens, seed: seed)
    try ScoreSupport.finish(method: method, episodes: episodes, out: outURL)
  }
}

/// RL knobs ([P] Table 8 defaults for α, β1, β2; small-model defaults otherwise).
struct ScoreRLOptions: ParsableArguments {
  @Option(help: "Optimiser steps (SFT steps per iteration for SFT baselines).") var steps = 50
  @Option(help: "Learning rate.") var lr = 1e-4
  @Option(help: "Reward shaping α (Stage II).") var alpha = 10.0
  @Option(help: "RLOO KL coefficient β1.") var beta1 = 0.01
  @Option(help: "Stage-I turn-1 KL pin β2.") var beta2 = 0.1
  @Option(help: "Samples per problem (RLOO k; traces per problem for STaR/Pair-SFT).") var samples = 4
  @Option(
    help:
      "Second attempts per first attempt in RL (m): k·m episodes per problem, turn-2 baselines among an attempt's m siblings."
  ) var secondAttempts = 1
  @Flag(
    help:
      "Stage I: credit the second attempt with r2 − r1 (what it changed) before the leave-one-out baseline; same expected gradient, less variance."
  ) var stage1RelativeReturn = false
  @Option(help: "Problems per RL step / sequences per SFT batch.") var batch = 16
  @Option(help: "Attempts per episode during RL.") var turns = 2
  @Option(help: "Sampling temperature of training rollouts.") var temperature = 1.0

  func trainConfig(stage: SCoReStage, seed: UInt64, maxNewTokens: Int) -> SCoReTrainConfig {
    SCoReTrainConfig(
      stage: stage, turns: turns, steps: steps, problemsPerStep: batch, samplesPerProblem: samples,
      secondAttemptsPerFirst: secondAttempts, stageIRelativeReturn: stage1RelativeReturn, learningRate: lr,
      coefficients: SCoReCoefficients(alpha: alpha, beta1: beta1, beta2: beta2),
      temperature: temperature, maxNewTokens: maxNewTokens, seed: seed)
  }
}

/// What a run directory's config.json holds.
struct ScoreRunManifest<Config: Encodable>: Encodable {
  var command: String
  var method: String
  var model: String
  var reference: String?
  var data: String
  var eval: String?
  var seed: UInt64
  var config: Config
}

/// `recheck score train --stage 1|2 --model DIR --data FILE --out RUN_DIR [knobs]`: one SCoRe RL run.
struct ScoreTrainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "One SCoRe RL stage (1: KL-pinned turn 1, turn-2 reward; 2: shaped multi-turn).")
  @OptionGroup var kernels: KernelOptions

  @OptionGroup var run: ScoreRunOptions
  @OptionGroup var rl: ScoreRLOptions
  @Option(help: "Stage: 1 or 2.") var stage: Int
  @Option(help: "Stage-I sub-stage s (rewards attempt s+1, pins 1…s; §1.5).") var subStage = 1
  @Option(help: "Reference model π_ref for the KL terms (default: --model; pass the base for Stage II).")
  var reference: String?

  func run() async throws {
    guard stage == 1 || stage == 2 else { throw ValidationError("--stage must be 1 or 2") }
    let (inputs, evalProblems, start) = try run.load(command: "score train")
    let policy = start.model
    let refModel =
      try reference.map { try TrainingModel.load($0, synthetic: inputs.prompts.task == .synthetic).model }
      ?? SCoReModelCopy.copy(policy)
    let config = rl.trainConfig(
      stage: stage == 1 ? .stageI(subStage: subStage) : .stageII, seed: run.seed,
      maxNewTokens: run.maxNewTokens)
    try FileManager.default.createDirectory(at: run.outURL, withIntermediateDirectories: true)
    let manifest = ScoreRunManifest(
      command: "score train", method: "stage\(stage)", model: run.model, reference: reference ?? run.model,
      data: run.data, eval: run.eval, seed: run.seed, config: config)
    try AtomicFileWriter.writeJSON(manifest, to: run.outURL.appendingPathComponent("config.json"))
    let sink = try ScoreSupport.metricsSink(run.outURL)
    let trainer = SCoReTrainer(
      policy: policy, reference: refModel, tokenizer: inputs.tokenizer, prompts: inputs.prompts,
      problems: inputs.problems, checker: inputs.checker, config: config, layout: inputs.layout,
      template: inputs.template)
    var n = 0
    try await trainer.train(onStep: { r in
      n += 1
      try sink(SCoReRunRecord(phase: "stage\(stage)", phaseStep: r.step, step: n, values: r.values))
    })
    try await run.finish(
      method: stage == 1 ? "SCoRe Stage I" : "SCoRe Stage II", model: policy, start: start, inputs: inputs,
      evalProblems: evalProblems, state: manifest, optimizer: trainer.optimizer)
  }
}

/// `recheck score base --out DIR [--steps N --seed S --hidden H --layers L]`: pre-trains the tiny
/// synthetic base model (`SyntheticSetup`) and saves it as a model directory with its char tokenizer,
/// the `--model` every synthetic `score` run starts from.
struct ScoreBaseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "base", abstract: "Pre-train and save the tiny synthetic base model for `score` runs.")
  @OptionGroup var kernels: KernelOptions

  @Option(help: "Model directory to write.") var out: String
  @Option(help: "Pre-training steps.") var steps = 400
  @Option(help: "Seed of problems, initialisation and batches.") var seed: UInt64 = 1
  @Option(help: "Hidden size.") var hidden = 128
  @Option(help: "Transformer layers.") var layers = 4
  @Option(help: "Training problems of the pre-training corpus.") var problems = 4000

  func run() throws {
    var setup = SyntheticSetup(seed: seed, trainProblems: problems, hiddenSize: hidden, layers: layers)
    setup.pretraining.steps = steps
    let tokenizer = SyntheticFormat.tokenizer()
    let model = try setup.trainBaseModel(tokenizer: tokenizer, problems: setup.problems().train) { r in
      FileHandle.standardError.write(
        Data(String(format: "[base] step %d  nll %.4f\n", r.step, r.values["nll"]!).utf8))
    }
    try model.save(
      to: URL(fileURLWithPath: out),
      tokenizer: try TrainingModel.charFile(tokenizer))
    try AtomicFileWriter.writeJSON(
      setup, to: URL(fileURLWithPath: out).appendingPathComponent("synthetic_setup.json"))
    print("saved synthetic base model to \(out)")
  }
}
