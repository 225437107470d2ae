import ArgumentParser
import Foundation
import Models
import Rollouts
import Tokenizers
import Training

/// Model and problem plumbing shared by the `recheck s2r` commands.
enum S2RSupport {
  /// A `--template` value: a path to a model (its .gguf file or Hugging Face directory: that model's
  /// own template, read without loading weights), else a template name.
  static func template(_ value: String) throws -> ChatTemplate {
    if FileManager.default.fileExists(atPath: value) {
      do { return try ModelBundle.chatTemplate(of: URL(fileURLWithPath: value)) } catch {
        throw ValidationError("--template \(value): \(error)")
      }
    }
    do { return try ChatTemplate(named: value) } catch {
      throw ValidationError(
        "--template \(value): not a template name (chatml, smollm2, llama3, plain) nor an existing model path"
      )
    }
  }

  /// Weights and char tokenizer of a synthetic model directory (`s2r collect` on synthetic files),
  /// through the one loader of training commands; a BPE model is refused there.
  static func loadCharModel(_ dir: String) throws -> (model: Transformer, tokenizer: CharTokenizer) {
    let start = try TrainingModel.load(dir, synthetic: true)
    guard let char = start.tokenizer as? CharTokenizer else {
      throw ValidationError(
        "\(dir): no char tokenizer next to the weights (stage 0 on synthetic files samples from char "
          + "models; real checkpoints collect on MATH/GSM8K-style data)")
    }
    return (start.model, char)
  }

  /// How S²R RL reads this model's prompts and responses: a BPE (GGUF or Hugging Face) model is a
  /// chat model — prompts with special tokens as `sft` encodes them, stop on EOS and its template's
  /// end-of-turn token, markers found by text; a char model keeps the plain layout.
  static func layout(_ start: TrainingModel) -> S2RResponseLayout {
    start.isBPE
      ? .chat(start.tokenizer, endOfTurn: start.template.endOfTurn, textMarkers: true)
      : .plain(start.tokenizer)
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
