import Foundation
import Models

/// Which demo stages are finished, so a rerun into the same run directory reuses them.
///
/// A stage is finished when `<stage>/stage.json` holds its fingerprint and `<stage>/model` loads.
/// The fingerprint hashes the stage's own config together with the fingerprints of the stages it
/// starts from, so editing one budget in config.json retrains exactly that stage and those
/// downstream of it. Models are saved as Float32 safetensors, so a reused stage evaluates
/// bit-identically to the run that trained it (same seed ⇒ same tables, resumed or not).
struct DemoStageCache {
  let dir: URL

  struct Marker: Codable {
    var fingerprint: String
  }

  /// FNV-1a (64 bit) over the sorted-key JSON of `config` and the upstream fingerprints.
  ///
  /// Example: `fingerprint(of: ["a": 1], after: [])` hashes the bytes of `{"a":1}` followed by "|".
  static func fingerprint<C: Encodable>(of config: C, after upstream: [String]) -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    var bytes = (try? enc.encode(config)) ?? Data()
    for u in upstream { bytes.append(contentsOf: Array("|\(u)".utf8)) }
    bytes.append(contentsOf: Array("|".utf8))
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01B3
    }
    return String(h, radix: 16)
  }

  /// The finished stage's model, or nil when the stage must (re)run.
  func finished(_ stage: String, fingerprint: String) -> Transformer? {
    let stageDir = dir.appendingPathComponent(stage)
    guard let data = try? Data(contentsOf: stageDir.appendingPathComponent("stage.json")),
      let marker = try? JSONDecoder().decode(Marker.self, from: data), marker.fingerprint == fingerprint,
      let model = try? Transformer.load(from: stageDir.appendingPathComponent("model"))
    else { return nil }
    return model
  }

  /// Marks `stage` finished; called after its model is saved, so a crash in between only costs a rerun.
  func markFinished(_ stage: String, fingerprint: String) throws {
    let data = try JSONEncoder().encode(Marker(fingerprint: fingerprint))
    try AtomicFileWriter.write(data, to: dir.appendingPathComponent("\(stage)/stage.json"))
  }
}
