import Foundation
import XCTest

@testable import Models

/// Against quants.gguf, written by gguf-py's GGUFWriter; expected values come from gguf-py's own
/// `gguf.quants.dequantize` (Scripts/make-checkpoint-fixtures.py), not from this code.
final class GGUFFileTests: XCTestCase {
  func testMetadataOfEveryValueType() throws {
    let file = try GGUFFile(url: Fixtures.url("quants.gguf"))
    XCTAssertEqual(file.version, 3)
    XCTAssertEqual(file.alignment, 32)
    XCTAssertEqual(file.architecture, "llama")
    let m = file.metadata
    XCTAssertEqual(m["test.u8"], .uint8(200))
    XCTAssertEqual(m["test.i8"], .int8(-100))
    XCTAssertEqual(m["test.u16"], .uint16(60000))
    XCTAssertEqual(m["test.i16"], .int16(-30000))
    XCTAssertEqual(m["test.u32"], .uint32(4_000_000_000))
    XCTAssertEqual(m["test.i32"], .int32(-2_000_000_000))
    XCTAssertEqual(m["test.f32"], .float32(0.1))
    XCTAssertEqual(m["test.u64"], .uint64(18_000_000_000_000_000_000))
    XCTAssertEqual(m["test.i64"], .int64(-9_000_000_000_000_000_000))
    XCTAssertEqual(m["test.f64"], .float64(0.1))
    XCTAssertEqual(m["test.bool"], .bool(true))
    XCTAssertEqual(m["test.string"], .string("héllo ✓"))
    XCTAssertEqual(m["test.strings"]?.stringArray, ["a", "", "Ġthe", "<|im_end|>"])
    XCTAssertEqual(m["test.ints"]?.arrayValue?.compactMap(\.intValue), [1, -2, 3])
    XCTAssertEqual(
      m["test.nested"],
      .array(
        elementType: 9,
        [.array(elementType: 5, [.int32(1), .int32(2)]), .array(elementType: 5, [.int32(3)])]))
    XCTAssertEqual(m["test.u64"]?.intValue, nil)  // does not fit an Int: reported as absent, not wrapped
    XCTAssertEqual(file.metadataKeys.first, "general.architecture")
  }

  func testEveryQuantTypeMatchesGGUFPy() throws {
    let file = try GGUFFile(url: Fixtures.url("quants.gguf"))
    let expected = try XCTUnwrap(try Fixtures.json("quants.gguf.json")["tensors"] as? [String: [String: Any]])
    XCTAssertEqual(expected.count, 12)
    for (name, entry) in expected.sorted(by: { $0.key < $1.key }) {
      let info = try XCTUnwrap(file.info(named: name), name)
      XCTAssertEqual(Int(info.type.rawValue), (entry["type"] as? NSNumber)?.intValue, name)
      let tensor = try file.dequantize(named: name)
      XCTAssertEqual(tensor.shape, try Fixtures.ints(entry["shape"]), name)
      assertSameValues(tensor.data, try Fixtures.floats(entry["values"]), "\(name) (\(info.type.name))")
    }
  }

  func testDimensionsAreReversedToOutermostFirst() throws {
    let file = try GGUFFile(url: Fixtures.url("quants.gguf"))
    let cube = try XCTUnwrap(file.info(named: "cube"))
    XCTAssertEqual(cube.dimensions, [4, 3, 2])  // ne[0] = innermost
    XCTAssertEqual(cube.shape, [2, 3, 4])
    XCTAssertEqual(try file.dequantize(named: "cube").data, (0..<24).map { Float($0) / 8 })
    XCTAssertEqual(file.info(named: "q4_k")?.shape, [2, 512])
  }

  func testUnsupportedTypeNamesTensorAndTypeNumber() throws {
    let file = try GGUFFile(url: Fixtures.url("quants.gguf"))
    XCTAssertThrowsError(try file.dequantize(named: "q2_k")) { error in
      let text = "\(error)"
      XCTAssertTrue(text.contains("'q2_k'") && text.contains("Q2_K") && text.contains("type number 10"), text)
    }
    // The raw blocks are still available to a kernel that understands them.
    let raw = try file.rawTensor(named: "q2_k")
    XCTAssertEqual(raw.type, .q2_K)
    XCTAssertEqual(raw.bytes.count, 84)
    XCTAssertEqual(raw.rowBytes, 84)
  }

  func testRawTensorExposesQuantizedBlocks() throws {
    let file = try GGUFFile(url: Fixtures.url("quants.gguf"))
    let raw = try file.rawTensor(named: "q8_0")
    XCTAssertEqual(raw.type, .q8_0)
    XCTAssertEqual(raw.shape, [3, 64])
    XCTAssertEqual(raw.rowBytes, 68)  // two 34-byte blocks per row
    XCTAssertEqual(raw.bytes.count, 3 * 68)
    let again = try raw.bytes.withUnsafeBytes {
      try GGUFDequantizer.dequantize(.q8_0, source: $0, count: 192, tensor: "q8_0")
    }
    XCTAssertEqual(again, try file.dequantize(named: "q8_0").data)
  }

  func testAcceptsVersion2AndRejectsOthers() throws {
    var bytes = [UInt8](try Data(contentsOf: Fixtures.url("quants.gguf")))
    bytes[4] = 2  // v2 has the same layout as v3 (64-bit counts)
    XCTAssertEqual(try GGUFFile(data: Data(bytes)).version, 2)
    bytes[4] = 1
    XCTAssertThrowsError(try GGUFFile(data: Data(bytes))) {
      XCTAssertTrue("\($0)".contains("version 1 unsupported"))
    }
    bytes.replaceSubrange(4..<8, with: [0, 0, 0, 3])
    XCTAssertThrowsError(try GGUFFile(data: Data(bytes))) { XCTAssertTrue("\($0)".contains("big-endian")) }
    bytes[0] = UInt8(ascii: "X")
    XCTAssertThrowsError(try GGUFFile(data: Data(bytes))) {
      XCTAssertTrue("\($0)".contains("not a GGUF file"))
    }
  }

  /// Every truncation of the file must produce an error, never a crash or an out-of-bounds read.
  func testTruncatedFilesAreRejected() throws {
    let data = try Data(contentsOf: Fixtures.url("quants.gguf"))
    let file = try GGUFFile(data: data)
    let lastTensorEnd = file.dataOffset + file.tensorInfos.map { $0.offset + ($0.byteCount ?? 0) }.max()!
    for length in stride(from: 0, to: lastTensorEnd, by: 7) {
      XCTAssertThrowsError(try GGUFFile(data: data.prefix(length)), "prefix of \(length) bytes")
    }
  }

  func testCorruptCountsAndTypesAreRejected() throws {
    var bytes = [UInt8](try Data(contentsOf: Fixtures.url("quants.gguf")))
    var huge = bytes
    huge.replaceSubrange(8..<16, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])  // tensor count
    XCTAssertThrowsError(try GGUFFile(data: Data(huge))) {
      XCTAssertTrue("\($0)".contains("implausibly large"))
    }
    // The first KV's value type sits after its key: u64 length + "general.architecture".
    let typeOffset = 24 + 8 + "general.architecture".utf8.count
    bytes[typeOffset] = 99
    XCTAssertThrowsError(try GGUFFile(data: Data(bytes))) {
      XCTAssertTrue("\($0)".contains("unknown metadata value type 99"))
    }
  }
}
