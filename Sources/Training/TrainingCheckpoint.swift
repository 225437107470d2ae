import Foundation
import Models
import NN
import TensorCore

/// A resumable training checkpoint: a Hugging Face-layout model directory (config.json +
/// model.safetensors + tokenizer) plus `optimizer.safetensors` (AdamW moments) and
/// `trainer_state.json` (step and whatever the trainer needs to continue bit-for-bit).
/// The directory is written under a temporary name and renamed, so a crash leaves either the
/// previous checkpoint or the new one, never a torn one.
public enum TrainingCheckpoint {
  public static let optimizerFile = "optimizer.safetensors"
  public static let stateFile = "trainer_state.json"
  /// Non-finite values in the state (a diverged step's metrics) are written as strings, not refused.
  static let nonFinite = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
    positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

  public static func save<State: Encodable>(
    to url: URL, model: Transformer, optimizer: AdamW?, state: State,
    tokenizer: CheckpointDirectory.TokenizerFile?, files: [(name: String, data: Data)] = []
  ) throws {
    let fm = FileManager.default
    let staging = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
    try? fm.removeItem(at: staging)
    try model.save(to: staging, tokenizer: tokenizer, files: files)
    if let optimizer {
      let (_, tensors) = optimizer.state()
      let host = try tensors.sorted { $0.key < $1.key }.map {
        try HostTensor(name: $0.key, shape: $0.value.shape, data: $0.value.toArray())
      }
      try SafetensorsWriter.write(
        host, to: staging.appendingPathComponent(optimizerFile), dtype: .f32,
        metadata: ["step": "\(optimizer.step)"])
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = nonFinite
    try AtomicFileWriter.write(try encoder.encode(state), to: staging.appendingPathComponent(stateFile))
    if fm.fileExists(atPath: url.path) {
      let old = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).old")
      try? fm.removeItem(at: old)
      try fm.moveItem(at: url, to: old)
      try fm.moveItem(at: staging, to: url)
      try? fm.removeItem(at: old)
    } else {
      try fm.moveItem(at: staging, to: url)
    }
  }

  /// Loads the trainer state and restores the optimizer's moments (the model is loaded by the
  /// caller with `Transformer.load(from:)`).
  public static func loadState<State: Decodable>(_ type: State.Type, from url: URL, optimizer: AdamW?) throws
    -> State
  {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let state = try decoder.decode(State.self, from: Data(contentsOf: url.appendingPathComponent(stateFile)))
    if let optimizer {
      let file = try SafetensorsFile(url: url.appendingPathComponent(optimizerFile))
      var tensors: [String: Tensor] = [:]
      for name in file.tensorNames {
        let h = try file.tensor(named: name)
        tensors[name] = Tensor(h.data, shape: h.shape)
      }
      let step = Int(file.metadata["step"] ?? "0") ?? 0
      try optimizer.restore(step: step, tensors: tensors)
    }
    return state
  }

  /// Whether `url` holds a complete checkpoint.
  public static func exists(at url: URL) -> Bool {
    FileManager.default.fileExists(atPath: url.appendingPathComponent(stateFile).path)
  }
}
