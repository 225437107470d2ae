import Foundation
import XCTest

@testable import Datasets

final class DatasetLoaderTests: TempDirTestCase {
  /// `../shared/datasets/<name>` relative to the package root; skips (loudly) when absent.
  func sharedDataset(_ name: String) throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let path = root.appendingPathComponent("../shared/datasets/\(name)").standardized.path
    guard FileManager.default.fileExists(atPath: path) else {
      throw XCTSkip("SKIPPED: benchmark file \(path) is not present on this machine")
    }
    return path
  }

  func testMATH500() throws {
    let load = try DatasetLoader.load(try sharedDataset("math500.jsonl"))
    XCTAssertEqual(load.format, .math)
    XCTAssertEqual(load.problems.count, 500)
    let first = load.problems[0]
    XCTAssertEqual(first.id, "test/precalculus/807.json")
    XCTAssertEqual(first.answer, "\\left( 3, \\frac{\\pi}{2} \\right)")
    XCTAssertEqual(first.difficulty, 2)
    XCTAssertEqual(first.subject, "Precalculus")
    XCTAssertEqual(first.source, "math500")
    XCTAssertEqual(first.kind, .math)
    XCTAssertTrue(first.prompt.hasPrefix("Convert the point $(0,3)$ in rectangular coordinates"))
    XCTAssertEqual(load.problems[499].id, "test/geometry/615.json")
    XCTAssertEqual(load.problems[499].answer, "106^\\circ")
    XCTAssertEqual(load.problems[499].difficulty, 4)
    // Level histogram of MATH500 (counted independently with Python's json module).
    var levels: [Int: Int] = [:]
    for p in load.problems { levels[p.difficulty ?? 0, default: 0] += 1 }
    XCTAssertEqual(levels, [1: 43, 2: 90, 3: 105, 4: 128, 5: 134])
  }

  func testGSM8KTest() throws {
    let load = try DatasetLoader.load(try sharedDataset("gsm8k_test.jsonl"))
    XCTAssertEqual(load.format, .gsm8k)
    XCTAssertEqual(load.problems.count, 1319)
    XCTAssertEqual(load.problems[0].answer, "18")
    XCTAssertTrue(load.problems[0].prompt.hasPrefix("Janet"))
    XCTAssertEqual(load.problems[0].solution?.hasSuffix("every day at the farmer\u{2019}s market."), true)
    XCTAssertEqual(load.problems[146].answer, "2125")  // "#### 2,125" in the file
    XCTAssertEqual(load.problems[1318].answer, "14")
  }

  func testOtherBenchmarksLoad() throws {
    // (file, format, rows, first answer), counted with Python's json module.
    let cases: [(String, DatasetFormat, Int, String)] = [
      ("aime24.jsonl", .math, 30, "204"), ("amc23.jsonl", .math, 40, "27"),
      ("gaokao2023en.jsonl", .questionAnswer, 385, "\\{x|-2\\leq x < 1\\}"),
      ("college_math.jsonl", .questionAnswer, 2818, "10-4 n"),
      ("olympiadbench.jsonl", .olympiadBench, 675, "2"),
    ]
    for (name, format, rows, answer) in cases {
      let load = try DatasetLoader.load(try sharedDataset(name))
      XCTAssertEqual(load.format, format, name)
      XCTAssertEqual(load.problems.count, rows, name)
      XCTAssertEqual(load.problems.first?.answer, answer, name)
      XCTAssertTrue(load.problems.allSatisfy { $0.kind == .math && !$0.prompt.isEmpty }, name)
    }
  }

  func testTruncatedJSONOnLine3NamesFileAndLine() throws {
    let path = try write(
      "broken.jsonl",
      "{\"question\": \"a\", \"answer\": \"x\\n#### 1\"}\n{\"question\": \"b\", \"answer\": \"#### 2\"}\n{\"question\": \"c\", \"ans\n"
    )
    XCTAssertThrowsError(try DatasetLoader.load(path)) { error in
      let message = "\(error)"
      XCTAssertTrue(message.contains("broken.jsonl"), message)
      XCTAssertTrue(message.contains("broken.jsonl:3:"), message)
      XCTAssertTrue(message.contains("bad JSON"), message)
      XCTAssertEqual((error as? DatasetError)?.line, 3)
    }
  }

  func testMissingKeyAndWrongTypeAndCollecting() throws {
    let path = try write(
      "mixed.jsonl",
      """
      {"problem": "1+1", "answer": "2", "level": 1}

      {"problem": "2+2"}
      {"problem": "3+3", "answer": "6", "level": "hard"}
      [1, 2]
      {"problem": "4+4", "answer": 8}\r

      """)
    XCTAssertThrowsError(try DatasetLoader.load(path)) { error in
      XCTAssertEqual(error as? DatasetError, DatasetError(file: path, line: 3, reason: .missingKey("answer")))
    }
    let load = try DatasetLoader.load(path, options: DatasetLoadOptions(collectErrors: true))
    XCTAssertEqual(load.problems.map(\.answer), ["2", "8"])
    XCTAssertEqual(load.problems.map(\.id), ["mixed-1", "mixed-6"])
    XCTAssertEqual(load.errors.map(\.line), [3, 4, 5])
    guard load.errors.count == 3 else { return XCTFail("errors: \(load.errors)") }
    XCTAssertEqual(
      load.errors[1].reason, .badValue(key: "level", why: "\"hard\" is neither an integer nor \"Level n\""))
    XCTAssertEqual(load.errors[2].reason, .notAnObject)
    XCTAssertTrue(load.errors[2].description.hasSuffix("mixed.jsonl:5: not a JSON object"))
  }

  func testExplicitFormatOverridesDetection() throws {
    // Detected as plain question/answer; forced to GSM8K the missing "####" is an error.
    let path = try write("qa.jsonl", "{\"question\": \"q\", \"answer\": \"7\"}\n")
    XCTAssertEqual(try DatasetLoader.load(path).format, .questionAnswer)
    XCTAssertThrowsError(try DatasetLoader.load(path, options: DatasetLoadOptions(format: .gsm8k))) { error in
      XCTAssertEqual(
        (error as? DatasetError)?.reason, .badValue(key: "answer", why: "no \"#### n\" final answer"))
    }
    let unknown = try write("u.jsonl", "{\"foo\": 1}\n")
    XCTAssertThrowsError(try DatasetLoader.load(unknown)) { error in
      XCTAssertEqual((error as? DatasetError)?.reason, .unknownFormat(keys: ["foo"]))
    }
  }
}
