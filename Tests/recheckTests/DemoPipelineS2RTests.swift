import Foundation
import Models
import TensorCore
import XCTest

@testable import recheck

/// The demo's S²R RL prompt filter (`DemoConfig.s2rRLPromptAccuracy`): which train problems the RL
/// stages sample from, and the stage fingerprints with and without it.
final class DemoPipelineS2RTests: XCTestCase {
  func pipeline(_ bounds: [Double]?) throws -> (DemoPipeline, URL) {
    var config = DemoConfig.preset(.quick, seed: 1)
    config.s2rRLPromptAccuracy = bounds
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2r-filter-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (DemoPipeline(config: config, dir: dir), dir)
  }

  func tinyBase(_ p: DemoPipeline) -> Transformer {
    var rng = SeededRNG(seed: 1)
    return Transformer(config: p.config.setup.modelConfig(vocabSize: p.tokenizer.vocabSize), rng: &rng)
  }

  /// With a stage-0 table on disk, the RL problems are the train problems whose accuracy lies in the
  /// range, in train order; problem i here has accuracy (i mod 3) · 0.4, so [0, 0.4] keeps i mod 3 ≠ 2.
  func testKeepsTheProblemsInRangeFromTheStageZeroTable() throws {
    let (p, dir) = try pipeline([0, 0.4])
    defer { try? FileManager.default.removeItem(at: dir) }
    let train = Array(p.config.setup.problems().train.prefix(30))
    let table = Dictionary(
      train.enumerated().map { ($1.text, Double($0 % 3) * 0.4) }, uniquingKeysWith: { first, _ in first })
    try p.write(table, DemoPipeline.stage0AccuracyName)
    let kept = try p.s2rRLProblems(base: tinyBase(p), train: train)
    let expected = train.enumerated().filter { table[$1.text]! <= 0.4 }.map(\.element.text)
    XCTAssertEqual(kept.map(\.text), expected)
    XCTAssertEqual(kept.count, 20)  // 30 problems, a third of them at 0.8
  }

  /// No filter: every train problem, and no table is read or written.
  func testNoFilterKeepsEveryProblem() throws {
    let (p, dir) = try pipeline(nil)
    defer { try? FileManager.default.removeItem(at: dir) }
    let train = Array(p.config.setup.problems().train.prefix(12))
    XCTAssertEqual(try p.s2rRLProblems(base: tinyBase(p), train: train).map(\.text), train.map(\.text))
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: dir.appendingPathComponent(DemoPipeline.stage0AccuracyName).path)
    )
  }

  /// Bounds that are not [lo, hi], or that keep nothing, are errors naming the setting.
  func testBadBoundsAreErrors() throws {
    for bounds in [[0.5, 0.1], [0.3]] {
      let (p, dir) = try pipeline(bounds)
      defer { try? FileManager.default.removeItem(at: dir) }
      XCTAssertThrowsError(try p.s2rRLProblems(base: tinyBase(p), train: [])) {
        XCTAssertTrue("\($0)".contains("s2rRLPromptAccuracy"), "\($0)")
      }
    }
    let (p, dir) = try pipeline([0.9, 1])
    defer { try? FileManager.default.removeItem(at: dir) }
    let train = Array(p.config.setup.problems().train.prefix(3))
    try p.write(
      Dictionary(uniqueKeysWithValues: train.map { ($0.text, 0.0) }), DemoPipeline.stage0AccuracyName)
    XCTAssertThrowsError(try p.s2rRLProblems(base: tinyBase(p), train: train)) {
      XCTAssertTrue("\($0)".contains("keeps no train problem"), "\($0)")
    }
  }

  /// Without a filter an RL stage's fingerprint is its config's alone (earlier runs' stages are
  /// reused); with one it changes.
  func testFingerprintChangesOnlyWithAFilter() throws {
    let (plain, d1) = try pipeline(nil)
    let (filtered, d2) = try pipeline([0, 0.4])
    defer {
      try? FileManager.default.removeItem(at: d1)
      try? FileManager.default.removeItem(at: d2)
    }
    let orl = plain.config.s2rORL
    func fingerprint(_ key: any Encodable) -> String { DemoStageCache.fingerprint(of: key, after: ["x"]) }
    XCTAssertEqual(fingerprint(plain.rlStageKey(orl)), fingerprint(orl))
    XCTAssertNotEqual(fingerprint(filtered.rlStageKey(orl)), fingerprint(orl))
    // config.json leaves the unset filter out, so an earlier run's file reads back the same.
    let json = String(decoding: try JSONEncoder().encode(plain.config), as: UTF8.self)
    XCTAssertFalse(json.contains("s2rRLPromptAccuracy"))
    XCTAssertTrue(
      String(decoding: try JSONEncoder().encode(filtered.config), as: UTF8.self).contains(
        "s2rRLPromptAccuracy"))
  }
}
