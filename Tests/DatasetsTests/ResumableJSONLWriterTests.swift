import Datasets
import Foundation
import XCTest

final class ResumableJSONLWriterTests: XCTestCase {
  struct Row: Codable, Equatable {
    var id: String
    var v: Int
  }

  func tempURL() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rjw-\(UUID().uuidString).jsonl")
    addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
  }

  func testAppendReopenSkip() throws {
    let url = tempURL()
    var w: ResumableJSONLWriter? = try ResumableJSONLWriter(url: url)
    try w!.append(Row(id: "a", v: 1), id: "a")
    try w!.append(Row(id: "b", v: 2), id: "b")
    XCTAssertThrowsError(try w!.append(Row(id: "a", v: 3), id: "a"))
    XCTAssertThrowsError(try w!.append(Row(id: "c", v: 3), id: "x"))  // id mismatch
    w = nil
    let again = try ResumableJSONLWriter(url: url)
    XCTAssertEqual(again.finishedIDs, ["a", "b"])
    XCTAssertEqual(again.repairedBytes, 0)
    try again.append(Row(id: "c", v: 3), id: "c")
    XCTAssertEqual(try JSONLReader.read(Row.self, from: url).map(\.v), [1, 2, 3])
  }

  func testCrashCutLastLineIsTruncated() throws {
    let url = tempURL()
    try Data("{\"id\":\"a\"}\n{\"id\":\"b".utf8).write(to: url)
    let w = try ResumableJSONLWriter(url: url)
    XCTAssertEqual(w.finishedIDs, ["a"])
    XCTAssertEqual(w.repairedBytes, 8)  // {"id":"b
    XCTAssertEqual(String(decoding: try Data(contentsOf: url), as: UTF8.self), "{\"id\":\"a\"}\n")
    try w.append(Row(id: "b", v: 5), id: "b")
    XCTAssertEqual(
      String(decoding: try Data(contentsOf: url), as: UTF8.self), "{\"id\":\"a\"}\n{\"id\":\"b\",\"v\":5}\n")
  }

  func testIntegerIDsAndBadLines() throws {
    let url = tempURL()
    try Data("{\"id\":7}\n".utf8).write(to: url)
    XCTAssertEqual(try ResumableJSONLWriter(url: url).finishedIDs, ["7"])
    try Data("{\"id\":7}\n{\"x\":1}\n".utf8).write(to: url)
    XCTAssertThrowsError(try ResumableJSONLWriter(url: url)) { e in
      XCTAssertEqual(e as? JSONLError, .missingID(file: url.path, line: 2, key: "id"))
    }
    try Data("{\"id\":7}\nnot json\n".utf8).write(to: url)
    XCTAssertThrowsError(try ResumableJSONLWriter(url: url)) { e in
      guard case JSONLError.malformedLine(_, 2, _) = e else { return XCTFail("\(e)") }
    }
  }
}
