import Foundation
import XCTest

@testable import Models

final class AtomicFileWriterTests: XCTestCase {
  func testCommitReplacesDestinationWithOrdinaryPermissions() throws {
    let dir = try temporaryDirectory()
    let url = dir.appendingPathComponent("a.bin")
    try Data("old".utf8).write(to: url)
    let writer = try AtomicFileWriter(destination: url)
    try writer.write(Data("new ".utf8))
    try writer.write(Data("bytes".utf8))
    // Before the commit the destination still holds the old contents.
    XCTAssertEqual(try Data(contentsOf: url), Data("old".utf8))
    try writer.commit()
    XCTAssertEqual(try Data(contentsOf: url), Data("new bytes".utf8))
    let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber
    XCTAssertEqual(mode?.intValue, 0o644)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.bin"])
  }

  /// The doc comment's example: sorted keys, pretty-printed, and only the destination left behind.
  func testWriteJSONIsPrettyAndSorted() throws {
    let dir = try temporaryDirectory()
    let url = dir.appendingPathComponent("config.json")
    try AtomicFileWriter.writeJSON(["b": 1, "a": 2], to: url)
    XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "{\n  \"a\" : 2,\n  \"b\" : 1\n}")
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["config.json"])
  }

  func testAbandonedWriteLeavesNothingBehind() throws {
    let dir = try temporaryDirectory()
    let url = dir.appendingPathComponent("b.bin")
    do {
      let writer = try AtomicFileWriter(destination: url)
      try writer.write(Data(repeating: 7, count: 1000))
      XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).count, 1)  // the temporary
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
  }

  func testMissingDirectoryIsAClearError() {
    let url = URL(fileURLWithPath: "/nonexistent-recheck-dir/x.bin")
    XCTAssertThrowsError(try AtomicFileWriter.write(Data(), to: url)) { error in
      XCTAssertTrue("\(error)".contains("cannot create temporary file"), "\(error)")
    }
  }
}
