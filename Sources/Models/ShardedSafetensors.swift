import Foundation

/// A checkpoint split over several safetensors files, as Hugging Face saves large models:
/// `model.safetensors.index.json` holds `{"metadata": {...}, "weight_map": {tensor name: shard file}}`
/// and each shard (`model-00001-of-00002.safetensors`, …) is an ordinary safetensors file in the
/// same directory. Every shard is opened (memory-mapped) and checked against the map up front.
public final class ShardedSafetensors: TensorSource, @unchecked Sendable {
  public let indexURL: URL
  /// The index's `metadata` object with values rendered as strings (e.g. `total_size`).
  public let metadata: [String: String]
  /// Tensor name → shard file name.
  public let weightMap: [String: String]
  private let shards: [String: SafetensorsFile]

  public init(indexURL: URL) throws {
    self.indexURL = indexURL
    let path = indexURL.path
    let data: Data
    do { data = try Data(contentsOf: indexURL) } catch {
      throw CheckpointError.io(path: path, reason: error.localizedDescription)
    }
    guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
      throw CheckpointError.malformed(path: path, reason: "index is not a JSON object")
    }
    guard let map = root["weight_map"] as? [String: Any] else {
      throw CheckpointError.malformed(path: path, reason: "index has no \"weight_map\" object")
    }
    var weightMap: [String: String] = [:]
    for (name, file) in map {
      guard let file = file as? String, !file.contains("/"), !file.isEmpty else {
        throw CheckpointError.malformed(path: path, reason: "weight_map[\(name)] is not a plain file name")
      }
      weightMap[name] = file
    }
    self.weightMap = weightMap
    metadata = (root["metadata"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
    let directory = indexURL.deletingLastPathComponent()
    var shards: [String: SafetensorsFile] = [:]
    for file in Set(weightMap.values).sorted() {
      shards[file] = try SafetensorsFile(url: directory.appendingPathComponent(file))
    }
    for (name, file) in weightMap where shards[file]!.info(named: name) == nil {
      throw CheckpointError.missingTensor(name: name, path: directory.appendingPathComponent(file).path)
    }
    self.shards = shards
  }

  public var tensorNames: [String] { weightMap.keys.sorted() }

  public func tensor(named name: String) throws -> HostTensor {
    guard let file = weightMap[name], let shard = shards[file] else {
      throw CheckpointError.missingTensor(name: name, path: indexURL.path)
    }
    return try shard.tensor(named: name)
  }
}
