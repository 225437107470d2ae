import ArgumentParser
import Foundation
import Testing
import Verifiers

@testable import recheck

/// `recheck grade math`: the six output fields, file mode's malformed lines (file:line, run goes
/// on, exit status 1 at the end) and `--summary`'s counts.
struct GradeMathCommandTests {
  @Test func jsonHasTheSixFieldsAndNullWhenNothingIsExtracted() throws {
    let g = MathGrader.grade(reference: "5", response: "I cannot tell.")
    let line = GradeMathCommand.jsonLine(GradeMathCommand.fields(g))
    #expect(
      line
        == #"{"answer":"I cannot tell.","equivalent":false,"extracted_answer":null,"extracted_reference":"5","reference":"5","rule":"no-answer"}"#
    )
    let boxed = GradeMathCommand.jsonLine(
      GradeMathCommand.fields(MathGrader.grade(reference: "5", response: "\\boxed{5}")))
    #expect(
      boxed
        == #"{"answer":"\\boxed{5}","equivalent":true,"extracted_answer":"5","extracted_reference":"5","reference":"5","rule":"exact-string"}"#
    )
  }

  @Test func malformedLinesNameFileAndLine() {
    guard case .failure(let e) = GradeMathCommand.gradeLine("not json", file: "p.jsonl", lineNumber: 7) else {
      Issue.record("expected a failure")
      return
    }
    #expect(e.message == "p.jsonl:7: not a JSON object")
    guard
      case .failure(let e2) = GradeMathCommand.gradeLine(#"{"reference": 5}"#, file: "p.jsonl", lineNumber: 2)
    else {
      Issue.record("expected a failure")
      return
    }
    #expect(e2.message.hasPrefix("p.jsonl:2: needs string fields"))
  }

  @Test func summaryCountsRulesAndSources() {
    var s = GradeMathSummary()
    s.add(MathGrader.grade(reference: "5", response: "so \\boxed{5}"))
    s.add(MathGrader.grade(reference: "$\\frac12$", response: "It is 0.5 here"))
    s.add(MathGrader.grade(reference: "5", response: "no idea"))
    s.malformed = 1
    let r = s.report()
    #expect(r.contains("pairs: 3 graded, 1 malformed"))
    #expect(r.contains("equivalent: 2 (66.7%), not equivalent: 1"))
    #expect(r.contains("exact-string         1"))
    #expect(r.contains("rational             1"))
    #expect(r.contains("no-answer            1"))
    #expect(r.contains("boxed                0 / 1"))
    #expect(r.contains("lastNumber           0 / 1"))
    #expect(r.contains("mathEnvironment      1 / 0"))
    #expect(r.contains("none                 0 / 1"))
    #expect(r.contains("wholeText            2 / 0"))
  }

  @Test func fileModeGoesOnAfterABadLineAndFailsAtTheEnd() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "grade-\(UUID().uuidString).jsonl")
    try Data(
      (#"{"reference": "5", "answer": "\\boxed{5}"}"# + "\n{broken\n" + #"{"reference": "1", "answer": "2"}"#
        + "\n").utf8
    ).write(to: path)
    defer { try? FileManager.default.removeItem(at: path) }
    let cmd = try #require(try GradeMathCommand.parseAsRoot([path.path, "--summary"]) as? GradeMathCommand)
    let tally = try cmd.gradeFile(path.path)
    #expect(tally.graded == 2)
    #expect(tally.malformed == 1)
    #expect(tally.equivalent == 1)
    #expect(throws: ExitCode.self) { try cmd.run() }
  }
}
