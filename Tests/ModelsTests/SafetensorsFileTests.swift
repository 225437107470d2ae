import Foundation
import XCTest

@testable import Models

/// Reading files written by the reference Python `safetensors` package (see
/// Scripts/make-checkpoint-fixtures.py) and rejecting malformed ones with clear errors.
final class SafetensorsFileTests: XCTestCase {
  func testReadsReferenceFile() throws {
    let file = try SafetensorsFile(url: Fixtures.url("reference.safetensors"))
    let expected = try Fixtures.json("reference.safetensors.json")
    XCTAssertEqual(file.metadata, expected["metadata"] as? [String: String])
    let tensors = try XCTUnwrap(expected["tensors"] as? [String: [String: Any]])
    XCTAssertEqual(Set(file.tensorNames), Set(tensors.keys))
    for (name, entry) in tensors {
      let tensor = try file.tensor(named: name)
      XCTAssertEqual(file.info(named: name)?.dtype.rawValue, entry["dtype"] as? String, name)
      XCTAssertEqual(tensor.shape, try Fixtures.ints(entry["shape"]), name)
      assertSameValues(tensor.data, try Fixtures.floats(entry["values"]), name)
    }
    // Spot checks by hand: scalar shape [] holds one value; the F16 specials decode exactly.
    XCTAssertEqual(try file.tensor(named: "f32.scalar").data, [3.5])
    let odd = try file.tensor(named: "f16.odd").data
    XCTAssertEqual(odd[0], 65504)
    XCTAssertEqual(odd[1].bitPattern, 0x8000_0000)  // -0
    XCTAssertEqual(odd[2], 0x1p-24)  // 6e-8 rounds to the smallest subnormal
    XCTAssertEqual(odd[3], .infinity)
  }

  func testReadsReferenceBF16() throws {
    let file = try SafetensorsFile(url: Fixtures.url("reference-bf16.safetensors"))
    let expected = try XCTUnwrap(try Fixtures.json("reference.safetensors.json")["bf16"] as? [String: Any])
    XCTAssertEqual(file.metadata, [:])
    let tensor = try file.tensor(named: "bf16.vector")
    XCTAssertEqual(file.info(named: "bf16.vector")?.dtype, .bf16)
    XCTAssertEqual(tensor.shape, [7])
    assertSameValues(tensor.data, try Fixtures.floats(expected["values"]), "bf16")
    XCTAssertEqual(
      tensor.data.map { HalfPrecision.bf16Bits(from: $0) }.map(Int.init), try Fixtures.ints(expected["bits"]))
  }

  func testMalformedFilesGiveClearErrors() throws {
    func header(_ json: String, data: [UInt8] = []) -> Data {
      var bytes = withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian, Array.init)
      bytes += Array(json.utf8) + data
      return Data(bytes)
    }
    func reason(_ data: Data) -> String {
      do {
        _ = try SafetensorsFile(data: data, label: "bad.safetensors")
        return "no error"
      } catch {
        return "\(error)"
      }
    }
    XCTAssertTrue(reason(Data([1, 2, 3])).contains("no 8-byte header length"))
    XCTAssertTrue(reason(header("{}").prefix(9)).contains("exceeds the file size"))
    XCTAssertTrue(reason(header("{not json")).contains("not valid JSON"))
    XCTAssertTrue(reason(header("[]")).contains("not an object"))
    XCTAssertTrue(
      reason(header(#"{"t":{"dtype":"Q9","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])).contains(
        "Q9"))
    XCTAssertTrue(
      reason(header(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        .contains("needs 8 bytes"))
    XCTAssertTrue(
      reason(
        header(
          #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: Array(repeating: 0, count: 8))
      )
      .contains("gap or overlap"))
    XCTAssertTrue(
      reason(
        header(
          #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 8))
      )
      .contains("data buffer holds 8"))
    XCTAssertTrue(
      reason(header(#"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        .contains("non-negative"))
    XCTAssertTrue(reason(header(#"{"__metadata__":{"a":1}}"#)).contains("not a string"))
    // An empty file with no tensors is valid.
    XCTAssertEqual(try SafetensorsFile(data: header("{}")).tensorNames, [])
  }

  func testUndecodableDTypeFailsOnlyForThatTensor() throws {
    var bytes = withUnsafeBytes(of: UInt64(0).littleEndian, Array.init)
    let json =
      #"{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
    bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian, Array.init))
    bytes +=
      Array(json.utf8) + Array(repeating: 0, count: 8)
      + withUnsafeBytes(of: Float(2.5).bitPattern.littleEndian, Array.init)
    let file = try SafetensorsFile(data: Data(bytes))
    XCTAssertEqual(try file.tensor(named: "w").data, [2.5])
    XCTAssertThrowsError(try file.tensor(named: "ids")) { error in
      XCTAssertEqual(error as? CheckpointError, .unsupportedType(tensor: "ids", type: "I64"))
    }
  }
}
