import Foundation
import XCTest

@testable import Models

final class SafetensorsWriterTests: XCTestCase {
  /// Odd shapes including a scalar and an empty tensor; values chosen to be exact in every dtype
  /// (small multiples of 1/8), so the round trip must reproduce them bit for bit.
  private func sampleTensors() throws -> [HostTensor] {
    [
      try HostTensor(name: "b.odd", shape: [3, 1, 5], data: (0..<15).map { Float($0) / 8 - 0.75 }),
      try HostTensor(name: "a.scalar", shape: [], data: [-2.5]),
      try HostTensor(name: "c.empty", shape: [0, 7], data: []),
      try HostTensor(name: "d.vector", shape: [7], data: [1, -1, 0.5, 1024, -0.125, 0, 3]),
    ]
  }

  func testRoundTripAllDTypes() throws {
    for dtype in [SafetensorsDType.f32, .f16, .bf16] {
      let tensors = try sampleTensors()
      let data = try SafetensorsWriter.data(tensors, dtype: dtype)
      let file = try SafetensorsFile(data: data)
      XCTAssertEqual(file.metadata, [:])
      for tensor in tensors {
        XCTAssertEqual(file.info(named: tensor.name)?.dtype, dtype)
        XCTAssertEqual(try file.tensor(named: tensor.name), tensor, "\(dtype) \(tensor.name)")
      }
    }
  }

  func testSixteenBitWritesRoundToNearestEven() throws {
    let values: [Float] = [1 + 0x1p-11, 1 + 3 * 0x1p-11, 0.1, 1e6, 0x1p-25 * 3]
    let tensor = try HostTensor(name: "x", shape: [5], data: values)
    let f16 = try SafetensorsFile(data: try SafetensorsWriter.data([tensor], dtype: .f16)).tensor(named: "x")
      .data
    XCTAssertEqual(f16, [1, 1 + 0x1p-9, 0.0999755859375, .infinity, 0x1p-23])
    let bf16 = try SafetensorsFile(data: try SafetensorsWriter.data([tensor], dtype: .bf16)).tensor(
      named: "x"
    ).data
    XCTAssertEqual(bf16[0], 1)
    XCTAssertEqual(bf16[2], Float(bitPattern: 0x3DCD_0000))  // 0.1 = 0x3DCCCCCD rounds up
  }

  func testHeaderIsSpacePaddedToEightBytesWithMetadata() throws {
    let tensor = try HostTensor(name: "w", shape: [1], data: [1])
    let data = try SafetensorsWriter.data([tensor], metadata: ["format": "pt", "quote\"key": "line\nbreak"])
    let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    XCTAssertEqual(length % 8, 0)
    let header = String(decoding: data[8..<(8 + length)], as: UTF8.self)
    XCTAssertTrue(header.hasPrefix(#"{"__metadata__":{"format":"pt","quote\"key":"line\nbreak"},"#), header)
    let file = try SafetensorsFile(data: data)
    XCTAssertEqual(file.metadata, ["format": "pt", "quote\"key": "line\nbreak"])
  }

  /// The reference `safetensors` (Rust core) wrote shard 2 of the sharded fixture from one F32 tensor
  /// with metadata {"format": "np"}; writing the same tensor must give the same bytes.
  func testBytesMatchReferenceImplementation() throws {
    let referenceURL = Fixtures.url("sharded/model-00002-of-00002.safetensors")
    let reference = try SafetensorsFile(url: referenceURL)
    let tensor = try reference.tensor(named: "model.c")
    let mine = try SafetensorsWriter.data([tensor], metadata: ["format": "np"])
    XCTAssertEqual(mine, try Data(contentsOf: referenceURL))
  }

  func testAtomicWriteToFileReplacesAndLeavesNoTemporaries() throws {
    let dir = try temporaryDirectory()
    let url = dir.appendingPathComponent("model.safetensors")
    try SafetensorsWriter.write(try sampleTensors(), to: url, dtype: .bf16)
    try SafetensorsWriter.write([try HostTensor(name: "only", shape: [2], data: [1, 2])], to: url)
    let file = try SafetensorsFile(url: url)
    XCTAssertEqual(file.tensorNames, ["only"])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.safetensors"])
  }

  func testFailedWriteKeepsOldFileAndRemovesTemporary() throws {
    let dir = try temporaryDirectory()
    let url = dir.appendingPathComponent("model.safetensors")
    try SafetensorsWriter.write([try HostTensor(name: "old", shape: [1], data: [7])], to: url)
    // Duplicate names are rejected after the temporary file was created.
    let duplicate = try HostTensor(name: "x", shape: [1], data: [1])
    XCTAssertThrowsError(try SafetensorsWriter.write([duplicate, duplicate], to: url)) { error in
      XCTAssertEqual(
        error as? CheckpointError, .invalidTensor(name: "x", reason: "appears twice in the tensors to write"))
    }
    XCTAssertEqual(try SafetensorsFile(url: url).tensorNames, ["old"])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.safetensors"])
    XCTAssertThrowsError(try SafetensorsWriter.data([duplicate], dtype: .i64))
  }

  func testHostTensorRejectsMismatchedShape() {
    XCTAssertThrowsError(try HostTensor(name: "t", shape: [2, 3], data: [1, 2, 3])) { error in
      XCTAssertTrue("\(error)".contains("shape [2, 3] holds 6 elements but 3 values were given"), "\(error)")
    }
  }
}
