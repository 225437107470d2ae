import Foundation
import XCTest

@testable import Datasets

final class SyntheticDatasetFileTests: TempDirTestCase {
  func testEncodeHandWrittenLine() {
    let p = SyntheticProblem(kind: .arithmetic, difficulty: 3, operands: [7, 8, 3, 5], ops: ["+", "*", "-"])
    XCTAssertEqual(
      SyntheticDatasetFile.encode(p, id: "s-1"),
      #"{"answer":"26","difficulty":3,"id":"s-1","kind":"arithmetic","operands":[7,8,3,5],"ops":["+","*","-"],"problem":"7+8*3-5=?"}"#
    )
  }

  func testRoundTripThroughFileAndLoader() throws {
    let config = SyntheticDatasetConfig(
      count: 200, seed: 42, kinds: [.arithmetic, .linearEquation, .pairPick], minDifficulty: 1,
      maxDifficulty: 4)
    let problems = SyntheticDatasetFile.generate(config)
    XCTAssertEqual(problems, SyntheticDatasetFile.generate(config), "same seed, same problems")
    XCTAssertNotEqual(problems, SyntheticDatasetFile.generate(SyntheticDatasetConfig(count: 200, seed: 43)))
    XCTAssertEqual(Set(problems.map(\.kind)), [.arithmetic, .linearEquation, .pairPick])
    let path = dir + "/synth.jsonl"
    try SyntheticDatasetFile.jsonl(problems).write(toFile: path, atomically: true, encoding: .utf8)
    XCTAssertEqual(try SyntheticDatasetFile.read(from: path), problems)

    let load = try DatasetLoader.load(path)
    XCTAssertEqual(load.format, .synthetic)
    XCTAssertEqual(load.problems.count, 200)
    for (loaded, p) in zip(load.problems, problems) {
      XCTAssertEqual(loaded.prompt, p.text)
      XCTAssertEqual(loaded.answer, String(p.answer))
      XCTAssertEqual(loaded.difficulty, p.difficulty)
      XCTAssertEqual(loaded.solution.flatMap(SyntheticTask.boxedAnswer), p.answer)
    }
    XCTAssertEqual(load.problems[0].id, "synthetic-1")
  }

  func testEditedOrInvalidLinesAreRejected() throws {
    let bad: [(String, String)] = [
      (#"{"kind":"arithmetic","difficulty":1,"operands":[1,2],"ops":["+"],"answer":"4"}"#, "answer"),
      (#"{"kind":"arithmetic","difficulty":1,"operands":[1,2],"ops":["+"],"problem":"1+3=?"}"#, "problem"),
      (#"{"kind":"arithmetic","difficulty":1,"operands":[1,2],"ops":["/"]}"#, "ops"),
      (#"{"kind":"arithmetic","difficulty":1,"operands":[1,2,3],"ops":["+"]}"#, "ops"),
      (#"{"kind":"linearEquation","difficulty":2,"operands":[3,1,5],"ops":[]}"#, "operands"),
      (#"{"kind":"linearEquation","difficulty":2,"operands":[0,1,5],"ops":[]}"#, "operands"),
      (#"{"kind":"arithmetic","difficulty":1,"operands":[100000,2],"ops":["*"]}"#, "operands"),
      (#"{"kind":"cubic","difficulty":1,"operands":[1],"ops":[]}"#, "kind"),
      // Two pairs sum to 10 (1+9, 3+7); a repeated number; a two-digit number.
      (#"{"kind":"pairPick","difficulty":2,"operands":[1,9,3,7,2,10],"ops":[]}"#, "operands"),
      (#"{"kind":"pairPick","difficulty":1,"operands":[4,4,2,6,8],"ops":[]}"#, "operands"),
      (#"{"kind":"pairPick","difficulty":1,"operands":[12,1,2,3,13],"ops":[]}"#, "operands"),
      (#"{"kind":"pairPick","difficulty":1,"operands":[1,2,3,4,9,13],"ops":[],"answer":"23"}"#, "answer"),
    ]
    for (i, (json, key)) in bad.enumerated() {
      let path = try write("bad\(i).jsonl", "\n" + json + "\n")
      XCTAssertThrowsError(try SyntheticDatasetFile.read(from: path), json) { error in
        guard let e = error as? DatasetError, case .badValue(let k, _) = e.reason else {
          return XCTFail("\(json): \(error)")
        }
        XCTAssertEqual(k, key, json)
        XCTAssertEqual(e.line, 2, json)
      }
    }
  }
}
