import Foundation
import Verifiers
import XCTest

@testable import Datasets

final class DatasetFormatTests: XCTestCase {
  func record(_ json: String, line: Int = 1) throws -> DatasetRecord {
    try DatasetRecord(text: json, file: "t.jsonl", line: line)
  }

  func decode(_ json: String) throws -> Problem {
    let r = try record(json)
    let format = try XCTUnwrap(DatasetFormat.detect(r), "no format for \(json)")
    return try format.decode(r, source: "t")
  }

  func testHumanEvalLineAndItsSandboxJob() throws {
    let p = try decode(
      #"{"task_id": "HumanEval/0", "prompt": "def f(x):\n", "canonical_solution": "    return x\n", "test": "def check(c):\n    assert c(1) == 1\n", "entry_point": "f"}"#
    )
    XCTAssertEqual(p.id, "HumanEval/0")
    XCTAssertEqual(p.kind, .code)
    XCTAssertEqual(p.reference, .humanEval(test: "def check(c):\n    assert c(1) == 1\n", entryPoint: "f"))
    XCTAssertEqual(p.solution, "    return x\n")
    let job = try XCTUnwrap(p.sandboxJob(completion: p.solution!))
    XCTAssertEqual(job.program, "def f(x):\n    return x\n")
    XCTAssertEqual(job.tests, "def check(c):\n    assert c(1) == 1\n\n\ncheck(f)\n")
    XCTAssertNil(try decode(#"{"problem": "1+1", "answer": "2"}"#).sandboxJob(completion: "2"))
  }

  func testMBPPLine() throws {
    let p = try decode(
      #"{"task_id": 11, "text": "Write a function.", "code": "def g(): return 1", "test_list": ["assert g() == 1", "assert g() != 2"], "test_setup_code": ""}"#
    )
    XCTAssertEqual(p.id, "11")
    XCTAssertEqual(p.prompt, "Write a function.")
    XCTAssertEqual(p.reference, .mbpp(testList: ["assert g() == 1", "assert g() != 2"], setup: ""))
    XCTAssertEqual(p.sandboxJob(completion: "def g(): return 1")?.tests, "assert g() == 1\nassert g() != 2\n")
  }

  func testOriginalMATHLevelStringAndBoxedAnswer() throws {
    let p = try decode(
      #"{"problem": "What is $1+\\frac12$?", "level": "Level 3", "type": "Algebra", "solution": "It is $\\boxed{\\frac{3}{2}}$."}"#
    )
    XCTAssertEqual(p.answer, "\\frac{3}{2}")
    XCTAssertEqual(p.difficulty, 3)
    XCTAssertEqual(p.subject, "Algebra")
  }

  func testOlympiadBenchJoinsAnswersAndStripsDollars() throws {
    let p = try decode(
      #"{"id": 7, "question": "Q", "final_answer": ["$3$", "$-1$"], "solution": ["a", "b"], "subfield": "Algebra", "context": null}"#
    )
    XCTAssertEqual(p.answer, "3, -1")
    XCTAssertEqual(p.id, "7")
    XCTAssertEqual(p.solution, "a\nb")
    XCTAssertThrowsError(try decode(#"{"question": "Q", "final_answer": []}"#))
  }

  func testGSM8KThousandsAndNegatives() throws {
    XCTAssertEqual(try decode(#"{"question": "q", "answer": "a\n#### 1,234,567"}"#).answer, "1234567")
    XCTAssertEqual(try decode("{\"question\": \"q\", \"answer\": \"#### -3.5\"}").answer, "-3.5")
    XCTAssertThrowsError(try decode("{\"question\": \"q\", \"answer\": \"#### ten\"}")) { error in
      XCTAssertEqual(
        (error as? DatasetError)?.reason,
        .badValue(key: "answer", why: "final answer \"ten\" is not a number"))
    }
  }

  func testTypesAreStrict() throws {
    XCTAssertEqual(try record(#"{"a": 27.0, "b": 2.5, "c": -4}"#).stringOrNumber("a"), "27")
    XCTAssertEqual(try record(#"{"a": 27.0, "b": 2.5}"#).stringOrNumber("b"), "2.5")
    XCTAssertEqual(try record(#"{"c": -4}"#).int("c"), -4)
    let r = try record(#"{"t": true, "s": "x", "n": 1, "z": null}"#)
    XCTAssertThrowsError(try r.int("t"))
    XCTAssertThrowsError(try r.stringOrNumber("t"))
    XCTAssertThrowsError(try r.string("n"))
    XCTAssertThrowsError(try r.int("s"))
    XCTAssertNil(try r.optionalString("z"))
    XCTAssertThrowsError(try r.string("z")) { error in
      XCTAssertEqual((error as? DatasetError)?.reason, .missingKey("z"))
    }
  }

  /// Literals beyond Double's precision arrive as NSDecimalNumber on Linux; they used to be
  /// rejected as "not a number". Answers keep their exact digits.
  func testLongPrecisionNumbers() throws {
    let r = try record(
      #"{"a": 0.1234567890123456789, "b": 12345678901234567890123, "c": 7.00000000000000000001}"#)
    XCTAssertEqual(try r.stringOrNumber("a"), "0.1234567890123456789")
    XCTAssertEqual(try r.stringOrNumber("b"), "12345678901234567890123")
    XCTAssertEqual(try r.stringOrNumber("c"), "7.00000000000000000001")
    XCTAssertThrowsError(try r.int("b")) { error in
      XCTAssertEqual((error as? DatasetError)?.reason, .wrongType(key: "b", expected: "an integer"))
    }
    XCTAssertEqual(try record(#"{"n": [1, 2.00000000000000000000]}"#).intList("n"), [1, 2])
  }

  func testDetection() throws {
    let cases: [(String, DatasetFormat?)] = [
      (#"{"question": "q", "answer": "x #### 3"}"#, .gsm8k),
      (#"{"question": "q", "answer": "3", "source": "s"}"#, .questionAnswer),
      (#"{"problem": "p", "answer": 3.0, "question": "p", "id": 1}"#, .math),
      (#"{"kind": "arithmetic", "difficulty": 1, "operands": [1, 2], "ops": ["+"]}"#, .synthetic),
      (#"{"text": "t"}"#, nil),
    ]
    for (json, format) in cases { XCTAssertEqual(DatasetFormat.detect(try record(json)), format, json) }
  }
}
