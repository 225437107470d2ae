import ArgumentParser
import Foundation
import Models
import Rollouts
import Tokenizers
import Training

/// Model plumbing shared by the `recheck s2r` commands (synthetic tasks: char tokenizers only).
enum S2RSupport {
  /// Weights and char tokenizer of a model directory, through the one loader of training commands
  /// (`TrainingModel.load`: `char_tokenizer.json`, a char-tokenizer `tokenizer.json`, or the synthetic
  /// tokenizer when the vocabulary sizes agree); a BPE model is refused, as these commands still run
  /// synthetic problems only.
  static func loadModel(_ dir: String) throws -> (model: Transformer, tokenizer: CharTokenizer) {
    let start = try TrainingModel.load(dir, synthetic: true)
    guard let char = start.tokenizer as? CharTokenizer else {
      throw ValidationError(
        "\(dir): no char tokenizer next to the weights (S²R RL and `s2r sample` need synthetic models; "
          + "real checkpoints train with `recheck sft` and `recheck score`)")
    }
    return (start.model, char)
  }

  /// Saves `model` with its char tokenizer as a model directory.
  static func save(_ model: Transformer, tokenizer: CharTokenizer, to url: URL) throws {
    try model.save(to: url, tokenizer: tokenizerFile(tokenizer))
  }

  static func tokenizerFile(_ tokenizer: CharTokenizer) throws -> CheckpointDirectory.TokenizerFile {
    try TrainingModel.charFile(tokenizer)
  }

  /// Resumes an RL run from `dir/checkpoint` when one exists (through `resume`, which restores the
  /// trainer and returns its step) and opens `dir/metrics.jsonl` cut back to that step, so a resumed
  /// run neither loses nor repeats metric lines. Returns the log and the checkpoint URL the run
  /// writes to. Online and offline `s2r rl` share it.
  static func resumeIfCheckpointed(
    _ dir: URL, command: String, resume: (URL) throws -> Int
  ) throws -> (log: MetricsLog, checkpoint: URL) {
    let checkpoint = dir.appendingPathComponent("checkpoint")
    var resumedStep: Int? = nil
    if TrainingCheckpoint.exists(at: checkpoint) {
      let step: Int
      do { step = try resume(checkpoint) } catch let error as S2RRLCheckpointError {
        throw ValidationError(error.description)
      }
      Progress.say("\(command): resuming from \(checkpoint.path) at step \(step)")
      resumedStep = step
    }
    let log = try MetricsLog(url: dir.appendingPathComponent("metrics.jsonl"), resumeStep: resumedStep)
    return (log, checkpoint)
  }
}
