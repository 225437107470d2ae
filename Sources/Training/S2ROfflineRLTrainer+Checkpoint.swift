import Foundation
import Models
import NN
import TensorCore

/// Kill and resume of S²R offline RL, as for online RL (`S2RRLTrainer+Checkpoint.swift`): a
/// `TrainingCheckpoint` with the policy, AdamW's moments and `State` (step, configuration, number
/// of kept samples, metrics so far). Batches are a pure function of (seed, step) and π_ref's
/// log-probs are recomputed from the frozen reference, so a fresh trainer over the same prepared
/// samples that resumes ends bit-identical to an uninterrupted run.
extension S2ROfflineRLTrainer {
  public struct State: Codable, Equatable {
    public var step: Int
    public var config: S2ROfflineRLConfig
    public var sampleCount: Int
    public var history: [StepReport]
  }

  public var state: State { State(step: step, config: config, sampleCount: samples.count, history: history) }

  /// Writes the checkpoint atomically to `url` (a directory, replaced whole), with the tokenizer
  /// file and further `files` (a Hugging Face model's tokenizer_config.json, …) so that a resumed
  /// run can still write its model.
  public func checkpoint(
    to url: URL, tokenizer: CheckpointDirectory.TokenizerFile? = nil, files: [(name: String, data: Data)] = []
  ) throws {
    try TrainingCheckpoint.save(
      to: url, model: policy, optimizer: optimizer, state: state, tokenizer: tokenizer, files: files)
  }

  /// Restores weights, optimiser moments, step and history from `url`; the configuration and the
  /// number of kept samples must match this trainer's.
  public func resume(from url: URL) throws {
    let saved = try TrainingCheckpoint.loadState(State.self, from: url, optimizer: nil)
    guard saved.config == config, saved.sampleCount == samples.count else {
      throw S2RRLCheckpointError.configMismatch(url.path)
    }
    let weights = try Transformer.load(from: url)
    try policy.load(
      Dictionary(weights.namedParameters().map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a }))
    _ = try TrainingCheckpoint.loadState(State.self, from: url, optimizer: optimizer)
    step = saved.step
    history = saved.history
  }
}
