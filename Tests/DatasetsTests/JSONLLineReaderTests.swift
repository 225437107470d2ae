import Foundation
import XCTest

@testable import Datasets

/// A scratch directory removed after each test.
class TempDirTestCase: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "recheck-datasets-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

  /// Writes `bytes` to `dir/name` and returns the path.
  func write(_ name: String, _ bytes: String) throws -> String {
    let path = dir + "/" + name
    try Data(bytes.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }
}

final class JSONLLineReaderTests: TempDirTestCase {
  func lines(_ path: String, chunkSize: Int = 1 << 16) throws -> [JSONLLineReader.Line] {
    var out: [JSONLLineReader.Line] = []
    try JSONLLineReader(path: path, chunkSize: chunkSize).forEach { out.append($0) }
    return out
  }

  func testLFCRLFAndMissingFinalNewline() throws {
    let path = try write("a.jsonl", "one\r\ntwo\n\nfour\r\nfive")
    for chunk in [1, 2, 3, 7, 1 << 16] {
      let got = try lines(path, chunkSize: chunk)
      XCTAssertEqual(got.map(\.text), ["one", "two", "", "four", "five"], "chunk \(chunk)")
      XCTAssertEqual(got.map(\.number), [1, 2, 3, 4, 5], "chunk \(chunk)")
    }
  }

  func testTrailingNewlineGivesNoExtraLineAndEmptyFileNone() throws {
    XCTAssertEqual(try lines(try write("b.jsonl", "x\ny\n")).map(\.text), ["x", "y"])
    XCTAssertEqual(try lines(try write("c.jsonl", "")).count, 0)
    XCTAssertEqual(try lines(try write("d.jsonl", "\n")).map(\.text), [""])
  }

  func testByteOrderMarkAndMultibyteAcrossChunks() throws {
    let path = try write("e.jsonl", "\u{FEFF}héllo→ ∑\nzwei")
    XCTAssertEqual(try lines(path, chunkSize: 4).map(\.text), ["héllo→ ∑", "zwei"])
  }

  func testLongLinesMatchSplitting() throws {
    // Lines much longer than the chunk, against Swift's own split as the reference.
    var rng = SeededGenerator(seed: 3)
    let parts = (0..<50).map { i in
      String(repeating: "ab\u{e9}", count: Int.random(in: 0...400, using: &rng)) + "\(i)"
    }
    let path = try write("f.jsonl", parts.joined(separator: "\n"))
    XCTAssertEqual(try lines(path, chunkSize: 97).map(\.text), parts)
  }

  func testMissingFileNamesIt() {
    XCTAssertThrowsError(try JSONLLineReader(path: dir + "/nope.jsonl")) { error in
      XCTAssertTrue("\(error)".contains("nope.jsonl"), "\(error)")
    }
  }
}
