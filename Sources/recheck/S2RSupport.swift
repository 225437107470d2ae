import ArgumentParser
import Foundation
import Models
import Rollouts
import Tokenizers
import Training

/// Model plumbing shared by the `recheck s2r` commands (synthetic tasks: char tokenizers only).
enum S2RSupport {
  /// Weights and char tokenizer of a model directory: `char_tokenizer.json` (`recheck score base`,
  /// the `s2r` commands), else a char-tokenizer `tokenizer.json` (`recheck demo`), else the
  /// synthetic tokenizer when the vocabulary sizes agree.
  static func loadModel(_ dir: String) throws -> (model: Transformer, tokenizer: CharTokenizer) {
    let url = URL(fileURLWithPath: dir)
    let model: Transformer
    do { model = try Transformer.load(from: url) } catch {
      throw ValidationError("\(dir): cannot load the model: \(error)")
    }
    for name in [TrainingModel.charTokenizerFile, "tokenizer.json"] {
      let file = url.appendingPathComponent(name)
      guard let data = try? Data(contentsOf: file) else { continue }
      if let char = try? CharTokenizer(jsonData: data) {
        guard char.vocabSize <= model.config.vocabSize else {
          throw ValidationError(
            "\(file.path): \(char.vocabSize) ids but vocab_size \(model.config.vocabSize)")
        }
        return (model, char)
      }
    }
    let synth = SyntheticFormat.tokenizer()
    guard synth.vocabSize == model.config.vocabSize else {
      throw ValidationError(
        "\(dir): no char tokenizer next to the weights (S²R commands need synthetic models)")
    }
    return (model, synth)
  }

  /// Saves `model` with its char tokenizer as a model directory.
  static func save(_ model: Transformer, tokenizer: CharTokenizer, to url: URL) throws {
    try model.save(to: url, tokenizer: tokenizerFile(tokenizer))
  }

  static func tokenizerFile(_ tokenizer: CharTokenizer) throws -> CheckpointDirectory.TokenizerFile {
    .data(try tokenizer.jsonData(), name: TrainingModel.charTokenizerFile)
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
