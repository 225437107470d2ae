import Foundation
import Models
import NN
import TensorCore

/// Kill and resume of S²R online RL (issue #5). A checkpoint is a `TrainingCheckpoint` directory:
/// the policy weights (Float32, so bit-exact), AdamW's moments and step count, and
/// `trainer_state.json` holding `S2RRLTrainer.State` — the step counter (which with the seed is the
/// whole random state, see `S2RRLTrainer.step`), the configuration, PRL's running baseline and the
/// metrics of every step so far. It is written under a temporary name and renamed, so a kill
/// leaves the previous checkpoint or the new one.
///
/// A fresh trainer built like the original (same start weights or not: the policy's weights are
/// overwritten, same reference, tasks and configuration) that calls `resume(from:)` continues
/// exactly where the checkpointed one stopped: its remaining steps produce bit-identical weights
/// and metrics (apart from wall-clock `seconds`) to an uninterrupted run.
extension S2RRLTrainer {
  public struct State: Codable, Equatable {
    public var step: Int
    public var config: S2RRLConfig
    public var baseline: S2RRewardContextBaseline
    public var history: [StepReport]
  }

  public var state: State { State(step: step, config: config, baseline: baseline, history: history) }

  /// Writes the checkpoint atomically to `url` (a directory, replaced whole), with the tokenizer
  /// file and further `files` (a Hugging Face model's tokenizer_config.json, …) so that a resumed
  /// run can still write its model.
  public func checkpoint(
    to url: URL, tokenizer: CheckpointDirectory.TokenizerFile? = nil, files: [(name: String, data: Data)] = []
  ) throws {
    try TrainingCheckpoint.save(
      to: url, model: policy, optimizer: optimizer, state: state, tokenizer: tokenizer, files: files)
  }

  /// The state stored at `url`, without touching any trainer (to check a run's settings first).
  public static func savedState(at url: URL) throws -> State {
    try TrainingCheckpoint.loadState(State.self, from: url, optimizer: nil)
  }

  /// Restores weights, optimiser moments, step, baseline and history from `url`. The saved
  /// configuration must equal this trainer's except for `steps` (a run may be extended).
  public func resume(from url: URL) throws {
    let saved = try Self.savedState(at: url)
    var mine = config
    mine.steps = saved.config.steps
    guard mine == saved.config else {
      throw S2RRLCheckpointError.configMismatch(url.path)
    }
    let weights = try Transformer.load(from: url)
    let values = Dictionary(
      weights.namedParameters().map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
    try policy.load(values)
    _ = try TrainingCheckpoint.loadState(State.self, from: url, optimizer: optimizer)
    step = saved.step
    baseline = saved.baseline
    history = saved.history
  }
}

public enum S2RRLCheckpointError: Error, CustomStringConvertible, Equatable {
  case configMismatch(String)

  public var description: String {
    switch self {
    case .configMismatch(let path):
      return "\(path) was written with other RL settings or data (online RL may change only --steps); "
        + "use a new run directory"
    }
  }
}
