import Foundation
import TensorCore
import XCTest

@testable import recheck

/// The demo's two stage lanes: the child's rows land where one process would have put them, the
/// threads widen only once the other lane is done, and the child's flag is internal.
/// (That two lanes give the tables of one is checked end to end by Scripts/demo-smoke.sh.)
final class DemoLaneTests: XCTestCase {
  func row(_ t1: Double) -> ScoreRow {
    ScoreRow(acc_t1: t1, acc_t2: t1, delta: 0, delta_i2c: 0, delta_c2i: 0)
  }

  /// One process runs base, then (Stage II) score and multi-turn RL, then the baselines; the parent
  /// of two lanes has only base when the child's SCoRe trainings and baselines arrive, in their order.
  func testMergePutsTheChildsRowsAfterTheBase() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lane-\(UUID())")
    let pipeline = DemoPipeline(config: .preset(.quick, seed: 1), dir: dir)
    pipeline.scoreOrder = ["base"]
    pipeline.tables.score["base"] = row(0.1)
    pipeline.turns["base"] = [[true, true]]
    let names = ["score", "multi_turn_rl", "self_refine", "pair_sft", "star", "single_turn_rl"]
    let child = DemoLane.Result(
      order: names,
      score: Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, row(Double($0) / 10)) }),
      turns: Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, [[$0 % 2 == 0, true]]) }))
    // Through JSON, as the parent reads it from lanes/score.json.
    let read = try JSONDecoder().decode(DemoLane.Result.self, from: JSONEncoder().encode(child))
    XCTAssertEqual(read, child)
    pipeline.merge(read)
    XCTAssertEqual(pipeline.scoreOrder, ["base"] + names)
    XCTAssertEqual(pipeline.tables.score["multi_turn_rl"], row(0.1))
    XCTAssertEqual(pipeline.tables.score["pair_sft"], row(0.3))
    XCTAssertEqual(pipeline.tables.score["base"], row(0.1))
    XCTAssertEqual(pipeline.turns["score"], [[true, true]])
    XCTAssertEqual(pipeline.turns["self_refine"], [[true, true]])
    XCTAssertEqual(pipeline.turns["pair_sft"], [[false, true]])
  }

  /// The child starts on half the threads and takes all of them only after the parent's marker.
  func testChildWidensOnlyOnceTheParentIsDone() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lane-\(UUID())")
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("lanes"), withIntermediateDirectories: true)
    defer {
      RowParallel.setMaxThreads(Int.max)
      try? FileManager.default.removeItem(at: dir)
    }
    let lane = DemoLane.child(dir: dir, allThreads: 4)
    XCTAssertEqual(RowParallel.maxThreads, 2)
    lane.betweenSteps()
    XCTAssertEqual(RowParallel.maxThreads, 2)
    XCTAssertFalse(lane.widened)
    try Data().write(to: DemoLane.parentDoneURL(dir))
    lane.betweenSteps()
    XCTAssertEqual(RowParallel.maxThreads, 4)
    XCTAssertTrue(lane.widened)
    XCTAssertEqual(DemoLane.child(dir: dir, allThreads: 1).laneThreads, 1)
  }

  /// A child notices that its parent has died (it was re-parented): `getppid()` no longer names the
  /// process that started it. The parent's side is never orphaned.
  func testChildNoticesItsParentIsGone() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lane-\(UUID())")
    defer { RowParallel.setMaxThreads(Int.max) }
    XCTAssertFalse(DemoLane.child(dir: dir, allThreads: 2).orphaned)
    XCTAssertTrue(DemoLane.child(dir: dir, allThreads: 2, parentPID: getppid() &+ 1).orphaned)
    let parent = DemoLane(role: .parent(Process()), dir: dir, allThreads: 2, parentPID: getppid() &+ 1)
    XCTAssertFalse(parent.orphaned)
  }

  func testLaneFlagsAreValidated() throws {
    XCTAssertEqual(try DemoCommand.parse([]).lanes, 2)
    XCTAssertEqual(try DemoCommand.parse(["--lanes", "1"]).lanes, 1)
    XCTAssertThrowsError(try DemoCommand.parse(["--lanes", "3"]))
    XCTAssertThrowsError(try DemoCommand.parse(["--lane", "score"]), "the child needs its run's config")
    XCTAssertThrowsError(try DemoCommand.parse(["--lane", "s2r", "--config", "c.json"]))
    XCTAssertEqual(try DemoCommand.parse(["--lane", "score", "--config", "c.json"]).lane, "score")
  }
}
