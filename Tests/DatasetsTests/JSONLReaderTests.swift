import Datasets
import Foundation
import XCTest

final class JSONLReaderTests: XCTestCase {
  func temp(_ text: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "jsonl-\(UUID().uuidString).jsonl")
    try Data(text.utf8).write(to: url)
    addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
  }

  func testReadsSkippingBlankLines() throws {
    let url = try temp("{\"a\":1}\n\n{\"a\":2}")
    XCTAssertEqual(try JSONLReader.read([String: Int].self, from: url), [["a": 1], ["a": 2]])
  }

  func testMalformedLineNamesFileAndLine() throws {
    let url = try temp("{\"a\":1}\n{\"a\":")
    XCTAssertThrowsError(try JSONLReader.read([String: Int].self, from: url)) { e in
      guard case JSONLError.malformedLine(let file, let line, _) = e else { return XCTFail("\(e)") }
      XCTAssertEqual(file, url.path)
      XCTAssertEqual(line, 2)
      XCTAssertTrue("\(e)".hasPrefix("\(url.path):2: malformed JSONL line"))
    }
    XCTAssertThrowsError(
      try JSONLReader.read([String: Int].self, from: url.appendingPathExtension("missing")))
  }
}
