import ArgumentParser
import Datasets
import Foundation
import Models
import Rollouts
import Tokenizers
import Training

/// Saved as RUN_DIR/config.json.
struct SFTRunConfig: Codable {
  var model: String
  var data: String
  var examples: Int
  var sft: SFTConfig
}

/// `recheck sft --model DIR|FILE.gguf --data FILE.jsonl --out RUN_DIR [--steps --batch --lr --warmup
/// --grad-accum --kl 0 --checkpoint-every N --seed]`: S²R behaviour initialisation (spec §3) —
/// SFT on `s2r collect` trajectories with the δ-mask (earlier wrong attempts are context only),
/// plus λ·KL to the starting model when `--kl > 0`. Writes RUN_DIR/metrics.jsonl,
/// RUN_DIR/checkpoint (resumed automatically when present) and the final RUN_DIR/model — for a
/// GGUF or Hugging Face start, a Hugging Face directory that transformers loads (`TrainingModel`).
struct SFTCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sft", abstract: "S²R behaviour-initialisation SFT with the δ-mask (resumable).")
  @OptionGroup var kernels: KernelOptions

  @Option(help: "Starting model: a .gguf file or a model directory (Hugging Face or Recheck layout).")
  var model: String
  @OptionGroup var local: LocalOnlyOptions
  @Option(help: "S2RSFTExample JSONL (`recheck s2r collect`).") var data: String
  @Option(help: "Run directory (config, metrics, checkpoint, model).") var out: String
  @Option(help: "Optimiser steps.") var steps = 300
  @Option(help: "Sequences per micro-batch.") var batch = 16
  @Option(help: "Peak learning rate.") var lr = 1e-3
  @Option(help: "Warm-up steps.") var warmup = 10
  @Option(help: "Micro-batches per optimiser step.") var gradAccum = 1
  @Option(help: "λ of the KL to the starting model (0: off).") var kl = 0.0
  @Option(help: "Tokens kept per sequence.") var maxLength = 600
  @Option(help: "Checkpoint every N steps (0: only the final model).") var checkpointEvery = 50
  @Option(help: "Seed of the batch order.") var seed: UInt64 = 0

  func validate() throws {
    try local.check("recheck sft")
    guard steps > 0, batch > 0, gradAccum > 0, maxLength > 1 else {
      throw ValidationError("--steps, --batch, --grad-accum must be positive and --max-length > 1")
    }
    guard kl >= 0, lr > 0, warmup >= 0, checkpointEvery >= 0 else {
      throw ValidationError("--kl, --warmup, --checkpoint-every must be ≥ 0 and --lr > 0")
    }
  }

  func run() throws {
    let config = SFTConfig(
      steps: steps, batchSize: batch, gradientAccumulation: gradAccum, learningRate: lr, warmupSteps: warmup,
      klCoefficient: kl, maxLength: maxLength, seed: seed, logEvery: 1, checkpointEvery: checkpointEvery)
    let dir = URL(fileURLWithPath: out)
    let checkpointURL = dir.appendingPathComponent("checkpoint")
    let initial = try TrainingModel.load(model, synthetic: true)
    let examples = try JSONLReader.read(S2RSFTExample.self, from: URL(fileURLWithPath: data))
    guard !examples.isEmpty else { throw ValidationError("\(data): no examples") }
    let sequences = Self.sequences(examples, model: initial)
    guard sequences.contains(where: { $0.weights.contains { $0 > 0 } }) else {
      throw ValidationError("\(data): no trained tokens after the δ-mask")
    }

    let resuming = TrainingCheckpoint.exists(at: checkpointURL)
    let policy: Transformer
    if resuming {
      let state = try JSONDecoder().decode(
        SFTTrainer.State.self,
        from: Data(contentsOf: checkpointURL.appendingPathComponent(TrainingCheckpoint.stateFile)))
      guard state.config == config else {
        throw ValidationError("\(checkpointURL.path) was written with other settings; use a new --out")
      }
      policy = try Transformer.load(from: checkpointURL)
    } else {
      policy = initial.model.copy()
    }
    let trainer = SFTTrainer(
      model: policy, reference: kl > 0 ? initial.model : nil, data: sequences, config: config)
    if resuming {
      try trainer.resume(from: checkpointURL)
      Progress.say("sft: resuming from \(checkpointURL.path) at step \(trainer.step)")
    }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try AtomicFileWriter.writeJSON(
      SFTRunConfig(model: model, data: data, examples: examples.count, sft: config),
      to: dir.appendingPathComponent("config.json"))
    let log = try MetricsLog(
      url: dir.appendingPathComponent("metrics.jsonl"), resumeStep: resuming ? trainer.step : nil)
    Progress.say(
      "sft: \(examples.count) trajectories, \(steps) steps, batch \(batch)×\(gradAccum), seed \(seed)")
    let (tokenizerFile, files) = try initial.checkpointFiles()
    try trainer.train(
      onStep: { r in
        try log.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
        Progress.say(
          String(
            format: "sft step %d/%d  nll %.4f  kl %.4f  lr %.2e  tok/s %.0f", r.step, steps, r.values["nll"]!,
            r.values["kl"]!, r.values["lr"]!, r.values["tokens_per_second"]!))
      },
      onCheckpoint: { _ in try trainer.checkpoint(to: checkpointURL, tokenizer: tokenizerFile, files: files) }
    )
    try initial.save(policy, to: dir.appendingPathComponent("model"))
    print("saved \(dir.appendingPathComponent("model").path) after \(trainer.step) steps")
  }

  /// The trained sequences of `examples` for `model`. A real model's prompts are its chat template's
  /// text, encoded with special tokens, and its reply ends with the end-of-turn token — through the
  /// same `S2RResponseLayout` S²R RL encodes its prompts with, so RL samples from the exact prompt
  /// layout behaviour initialisation trained on.
  static func sequences(_ examples: [S2RSFTExample], model: TrainingModel) -> [TrainingSequence] {
    let layout = S2RSupport.layout(model)
    return S2RBehaviourData.sequences(
      examples, tokenizer: model.tokenizer, promptOptions: layout.promptOptions, endID: layout.endID)
  }
}
