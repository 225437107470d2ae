import Datasets
import Foundation
import Generation
import Rollouts
import Tokenizers
import XCTest

@testable import Evaluation

final class FrameworkExportTests: XCTestCase {
  let sft = S2RSFTExample(
    id: "p1",
    prompt: "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n",
    answer: "\\boxed{2}<|im_end|>\n", wrongAttempts: 0)

  func line(_ row: [String: Any]) -> String { FrameworkExport.jsonText(row) }

  func testS2RSFTRows() throws {
    XCTAssertEqual(
      line(try FrameworkExport.sftRow(sft, format: .trl)),
      #"{"completion":"\\boxed{2}<|im_end|>\n","prompt":"<|im_start|>system\nS<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n"}"#
    )
    XCTAssertEqual(
      line(try FrameworkExport.sftRow(sft, format: .trl, conversational: true)),
      #"{"completion":[{"content":"\\boxed{2}","role":"assistant"}],"prompt":[{"content":"S","role":"system"},{"content":"1+1?","role":"user"}]}"#
    )
    XCTAssertEqual(
      line(try FrameworkExport.sftRow(sft, format: .openrlhf)),
      #"{"input":"<|im_start|>system\nS<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n","output":"\\boxed{2}<|im_end|>\n"}"#
    )
    XCTAssertEqual(
      line(try FrameworkExport.sftRow(sft, format: .verl)),
      #"{"extra_info":{"id":"p1","weight":1,"wrong_attempts":0},"messages":[{"content":"S","role":"system"},{"content":"1+1?","role":"user"},{"content":"\\boxed{2}","role":"assistant"}]}"#
    )
    let plain = S2RSFTExample(id: "q", prompt: "User: 1+1\n\nAssistant:", answer: " 2", wrongAttempts: 0)
    XCTAssertThrowsError(try FrameworkExport.sftRow(plain, format: .verl)) {
      XCTAssertEqual($0 as? ExportError, .notChatML(id: "q"))
    }
  }

  func testRLPromptRows() {
    let math = mathItem(3, question: "What is 2+2?", answer: "4")
    XCTAssertEqual(FrameworkExport.label(math), #"{"answer":"4","r1":null,"task":"math"}"#)
    let sys = S2RDataBuilder.systemPrompt.replacingOccurrences(of: "\\", with: "\\\\")
    XCTAssertEqual(
      line(FrameworkExport.rlPromptRow(math, format: .verl)),
      #"{"ability":"math","data_source":"test","extra_info":{"id":"p3","index":3,"label":"{\"answer\":\"4\",\"r1\":null,\"task\":\"math\"}"},"prompt":[{"content":""#
        + sys
        + #"","role":"system"},{"content":"What is 2+2?","role":"user"}],"reward_model":{"ground_truth":"4","style":"rule"}}"#
    )
    XCTAssertEqual(
      line(FrameworkExport.rlPromptRow(math, format: .openrlhf, style: .score)),
      #"{"id":"p3","input":[{"content":""#
        + SCoRePromptText.mathFirstTurn.replacingOccurrences(of: "\"", with: "\\\"")
        + #"\n\nProblem: What is 2+2?","role":"user"}],"label":"{\"answer\":\"4\",\"r1\":null,\"task\":\"math\"}"}"#
    )
    let mbpp = EvalItem(
      index: 0,
      problem: Problem(
        id: "m", prompt: "add", kind: .code, reference: .mbpp(testList: ["assert add(1,2)==3"], setup: ""),
        source: "mbpp"), task: .mbpp)
    XCTAssertEqual(FrameworkExport.label(mbpp), #"{"r1":null,"task":"mbpp","tests":["assert add(1,2)==3"]}"#)
    let trl = FrameworkExport.rlPromptRow(mbpp, format: .trl)
    XCTAssertEqual(trl["label"] as? String, FrameworkExport.label(mbpp))
  }

  func testScoreTurnsShareTheGroup() {
    let x1: [ChatMessage] = [.user("Q")]
    let x2: [ChatMessage] = [.user("Q"), .assistant("a"), .user("P")]
    let e = FrameworkExport.TurnEpisode(
      group: "g", sample: 1, task: "math", reference: "b",
      attempts: [(.chat(x1), "a", 0), (.chat(x2), "b", 1)])
    let trl = FrameworkExport.turnRows(e, format: .trl).map(line)
    XCTAssertEqual(
      trl,
      [
        #"{"completion":[{"content":"a","role":"assistant"}],"group":"g","prompt":[{"content":"Q","role":"user"}],"reward":0,"sample":1,"turn":1}"#,
        #"{"completion":[{"content":"b","role":"assistant"}],"group":"g","prompt":[{"content":"Q","role":"user"},{"content":"a","role":"assistant"},{"content":"P","role":"user"}],"reward":1,"sample":1,"turn":2}"#,
      ])
    let orl = FrameworkExport.turnRows(e, format: .openrlhf)
    XCTAssertEqual(orl[0]["label"] as? String, #"{"answer":"b","r1":null,"task":"math"}"#)
    XCTAssertEqual(orl[1]["label"] as? String, #"{"answer":"b","r1":0,"task":"math"}"#)
    let verl = FrameworkExport.turnRows(e, format: .verl).map(line)
    XCTAssertEqual(
      verl[1],
      #"{"ability":"math","data_source":"score-turns","extra_info":{"group":"g","previous_reward":0,"response":"b","reward":1,"sample":1,"turn":2},"prompt":[{"content":"Q","role":"user"},{"content":"a","role":"assistant"},{"content":"P","role":"user"}],"reward_model":{"ground_truth":"b","style":"rule"}}"#
    )
  }

  func testExportFilesFromEvalResultsAndEpisodes() async throws {
    let root = temporaryDirectory("export")
    let results = root.appendingPathComponent("results.jsonl")
    let model = ScriptedModel { _ in "\\boxed{4}" }
    let records = try await EvalRunner(
      model: model, config: EvalConfig(dataset: "t", evalProtocol: .score(turns: 3)), grader: EvalGrader()
    ).evaluate([mathItem(0, question: "2+2", answer: "4"), mathItem(1, question: "3+3", answer: "6")])
    let writer = try ResumableJSONLWriter(url: results)
    for r in records { try writer.append(r, id: r.id) }
    let out = root.appendingPathComponent("turns.jsonl").path
    let n = try FrameworkExport.export(
      input: results.path, output: out, options: ExportOptions(kind: .scoreTurns, format: .openrlhf))
    XCTAssertEqual(n, 6)
    let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.count, 6)
    let rewards = try lines.map {
      try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["reward"] as? Double
    }
    XCTAssertEqual(rewards, [1, 1, 1, 0, 0, 0])

    // A training episode line is read as well; a bad line names file and line.
    let episode = SCoReEpisode(
      problemID: "e", sample: 2,
      attempts: [
        SCoReAttempt(
          prompt: .text("x"), text: "y", tokens: [], logProbs: [], finishReason: .length, reward: 1,
          extractedAnswer: nil)
      ])
    let enc = JSONEncoder()
    let eps = root.appendingPathComponent("episodes.jsonl")
    try (String(decoding: try enc.encode(episode), as: UTF8.self) + "\n{\"nope\":1}\n").write(
      to: eps, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(
      try FrameworkExport.export(
        input: eps.path, output: out, options: ExportOptions(kind: .scoreTurns, format: .trl))
    ) { error in
      guard case .badLine(let f, let l, _) = error as? ExportError else { return XCTFail("\(error)") }
      XCTAssertEqual(f, eps.path)
      XCTAssertEqual(l, 2)
    }
  }
}
