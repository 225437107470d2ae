import Foundation
import XCTest

/// Access to Tests/ModelsTests/Fixtures, made by Scripts/make-checkpoint-fixtures.py with the reference
/// Python implementations (safetensors, gguf-py). Located via #filePath so no bundle resources are needed.
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")

  static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

  /// A fixture JSON object.
  static func json(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: url(name))
    return try XCTUnwrap(
      try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) is not an object")
  }

  /// A JSON list of numbers (non-finite values spelled "inf", "-inf", "nan") as Float.
  static func floats(_ value: Any?) throws -> [Float] {
    let list = try XCTUnwrap(value as? [Any], "expected a list of numbers")
    return try list.map { item in
      if let number = item as? NSNumber { return Float(number.doubleValue) }
      switch item as? String {
      case "inf": return .infinity
      case "-inf": return -.infinity
      case "nan": return .nan
      default: throw FixtureError(message: "unexpected JSON value \(item)")
      }
    }
  }

  static func ints(_ value: Any?) throws -> [Int] {
    try XCTUnwrap(value as? [Any], "expected a list of integers").map {
      try XCTUnwrap(($0 as? NSNumber)?.intValue)
    }
  }
}

/// Asserts two Float arrays are identical element by element (bit-exact except that NaN matches NaN
/// and -0 matches +0), reporting the first mismatch.
func assertSameValues(
  _ actual: [Float], _ expected: [Float], _ label: String, file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(actual.count, expected.count, "\(label): count", file: file, line: line)
  for (i, (a, e)) in zip(actual, expected).enumerated() where !(a == e || (a.isNaN && e.isNaN)) {
    XCTFail("\(label): element \(i) is \(a), expected \(e)", file: file, line: line)
    return
  }
}

struct FixtureError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// A fresh empty directory under the system temp dir, removed when the test ends.
extension XCTestCase {
  func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "recheck-models-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
  }
}
