import Foundation
import XCTest

@testable import Models

/// The two-shard fixture written by the reference `safetensors` package plus an HF-style index.
final class ShardedSafetensorsTests: XCTestCase {
  func testReadsShardedCheckpoint() throws {
    let sharded = try ShardedSafetensors(indexURL: Fixtures.url("sharded/model.safetensors.index.json"))
    let expected = try Fixtures.json("sharded/expected.json")
    XCTAssertEqual(sharded.tensorNames, ["model.a", "model.b", "model.c"])
    XCTAssertEqual(sharded.weightMap["model.c"], "model-00002-of-00002.safetensors")
    XCTAssertEqual(sharded.metadata["total_size"], "70")  // 32 + 6 + 32 bytes
    for name in sharded.tensorNames {
      let entry = try XCTUnwrap(expected[name] as? [String: Any])
      let tensor = try sharded.tensor(named: name)
      XCTAssertEqual(tensor.shape, try Fixtures.ints(entry["shape"]))
      assertSameValues(tensor.data, try Fixtures.floats(entry["values"]), name)
    }
    XCTAssertThrowsError(try sharded.tensor(named: "model.zzz")) { error in
      XCTAssertEqual(
        error as? CheckpointError, .missingTensor(name: "model.zzz", path: sharded.indexURL.path))
    }
  }

  func testShardIndexPointingAtMissingTensorIsAnError() throws {
    let dir = try temporaryDirectory()
    try FileManager.default.copyItem(
      at: Fixtures.url("sharded/model-00002-of-00002.safetensors"),
      to: dir.appendingPathComponent("s.safetensors"))
    let index = dir.appendingPathComponent("model.safetensors.index.json")
    try Data(#"{"weight_map": {"model.a": "s.safetensors"}}"#.utf8).write(to: index)
    XCTAssertThrowsError(try ShardedSafetensors(indexURL: index)) { error in
      guard case .missingTensor(let name, _)? = error as? CheckpointError else { return XCTFail("\(error)") }
      XCTAssertEqual(name, "model.a")
    }
  }
}
