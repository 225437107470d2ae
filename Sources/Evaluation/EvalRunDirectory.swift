import Datasets
import Foundation
import Models

/// The files of one evaluation run:
///
///     DIR/config.json     EvalConfig + backend description (the seed is in the config)
///     DIR/results.jsonl   one EvalRecord per problem, append-only, keyed by id
///     DIR/summary.json    EvalSummary of every record of the configured problems
///
/// A rerun with the same config resumes; a rerun with a different config is refused, so one results
/// file never mixes two settings.
public struct EvalRunDirectory: Sendable {
  public let url: URL

  public init(url: URL) { self.url = url }

  public var configURL: URL { url.appendingPathComponent("config.json") }
  public var resultsURL: URL { url.appendingPathComponent("results.jsonl") }
  public var summaryURL: URL { url.appendingPathComponent("summary.json") }

  /// What `config.json` holds.
  public struct Stored: Codable, Sendable, Equatable {
    public var config: EvalConfig
    /// The backend in words ("native /path/model.gguf", …); informational, not compared.
    public var backend: String
    public var recheckVersion: String

    public init(config: EvalConfig, backend: String, recheckVersion: String) {
      self.config = config
      self.backend = backend
      self.recheckVersion = recheckVersion
    }
  }

  /// Creates the directory and writes `config.json`, or checks an existing one matches `config`.
  public func prepare(_ stored: Stored) throws {
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    if let data = try? Data(contentsOf: configURL) {
      let old: Stored
      do { old = try JSONDecoder().decode(Stored.self, from: data) } catch {
        throw EvalError.configMismatch(runDir: url.path, why: "unreadable config.json: \(error)")
      }
      if let why = Self.difference(old.config, stored.config) {
        throw EvalError.configMismatch(runDir: url.path, why: why)
      }
      return
    }
    try AtomicFileWriter.write(Self.encode(stored), to: configURL)
  }

  /// Every record of `results.jsonl`.
  public func records() throws -> [EvalRecord] {
    guard FileManager.default.fileExists(atPath: resultsURL.path) else { return [] }
    return try JSONLReader.read(EvalRecord.self, from: resultsURL)
  }

  public func writeSummary(_ summary: EvalSummary) throws {
    try AtomicFileWriter.write(Self.encode(summary), to: summaryURL)
  }

  static func encode<T: Encodable>(_ value: T) throws -> Data {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    e.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return try e.encode(value) + Data("\n".utf8)
  }

  /// The first differing setting that changes results (batch size and bootstrap settings do not),
  /// or nil when a run may resume.
  static func difference(_ a: EvalConfig, _ b: EvalConfig) -> String? {
    let pairs: [(String, Bool)] = [
      ("dataset", a.dataset == b.dataset), ("limit", a.limit == b.limit),
      ("protocol", a.evalProtocol == b.evalProtocol), ("sampling", a.params == b.params),
      ("seed", a.seed == b.seed), ("layout", a.layout == b.layout),
      ("s2r markers", a.s2rMarkers == b.s2rMarkers),
      ("model name", a.modelName == b.modelName),
    ]
    return pairs.first { !$0.1 }.map { "\($0.0) differs" }
  }
}
