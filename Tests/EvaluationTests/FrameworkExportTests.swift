import Datasets
import Foundation
import Generation
import Rollouts
import Tokenizers
import Verifiers
import XCTest

@testable import Evaluation

final class FrameworkExportTests: XCTestCase {
  let sft = S2RSFTExample(
    id: "p1",
    prompt: "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n",
    answer: "\\boxed{2}<|im_end|>\n", wrongAttempts: 0)

  func line(_ row: [String: Any]) -> String { FrameworkExport.jsonText(row) }

  func testS2RSFTRows() throws {
    // One trained segment: TRL's end row drops the "\n" after <|im_end|> (TRL adds no second
    // end-of-turn when the completion ends with its EOS).
    XCTAssertEqual(
      try FrameworkExport.sftRows(sft, format: .trl).map(line),
      [
        #"{"completion":"\\boxed{2}<|im_end|>","end":true,"id":"p1","prompt":"<|im_start|>system\nS<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n","segment":0,"weight":1}"#
      ])
    XCTAssertEqual(
      try FrameworkExport.sftRows(sft, format: .trl, conversational: true).map(line),
      [
        #"{"completion":[{"content":"\\boxed{2}","role":"assistant"}],"prompt":[{"content":"S","role":"system"},{"content":"1+1?","role":"user"}]}"#
      ])
    XCTAssertEqual(
      try FrameworkExport.sftRows(sft, format: .openrlhf).map(line),
      [
        #"{"input":"<|im_start|>system\nS<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n","output":"\\boxed{2}<|im_end|>\n"}"#
      ])
    XCTAssertEqual(
      try FrameworkExport.sftRows(sft, format: .verl).map(line),
      [
        #"{"extra_info":{"id":"p1","weight":1,"wrong_attempts":0},"messages":[{"content":"S","role":"system"},{"content":"1+1?","role":"user"},{"content":"\\boxed{2}","role":"assistant"}]}"#
      ])
    // Recheck's plain-text synthetic data (the demo's s2r_sft.jsonl) becomes a user message.
    let c = S2RTrajectory.checkMarker
    let r = S2RTrajectory.retryMarker
    let plain = S2RSFTExample(
      id: "q", prompt: "2+2=?\n", answer: "\\boxed{4}" + c + "ok", weight: 0.5, wrongAttempts: 0)
    XCTAssertEqual(
      try FrameworkExport.sftRows(plain, format: .verl).map(line),
      [
        #"{"extra_info":{"id":"q","weight":0.5,"wrong_attempts":0},"messages":[{"content":"2+2=?","role":"user"},{"content":"\\boxed{4}\n\nWait, let me recheck my solution.\n\nok","role":"assistant"}]}"#
      ])
    // One wrong attempt: OpenRLHF keeps it in the input; two: only TRL's segment rows can say it.
    let one = S2RSFTExample(
      id: "w1", prompt: "P\n", answer: "a" + c + "no" + r + "b" + c + "ok", wrongAttempts: 1)
    XCTAssertEqual(
      try FrameworkExport.sftRows(one, format: .openrlhf).map(line),
      [
        #"{"input":"P\na","output":"\n\nWait, let me recheck my solution.\n\nno\n\nLet me try again.\n\nb\n\nWait, let me recheck my solution.\n\nok"}"#
      ])
    let two = S2RSFTExample(
      id: "w2", prompt: "P\n", answer: "a" + c + "no" + r + "b" + c + "no" + r + "d" + c + "ok",
      wrongAttempts: 2)
    for (format, conversational) in [(ExportFormat.openrlhf, false), (.verl, false), (.trl, true)] {
      XCTAssertThrowsError(try FrameworkExport.sftRows(two, format: format, conversational: conversational)) {
        XCTAssertTrue("\($0)".contains("use --format trl without --conversational"), "\($0)")
      }
    }
    XCTAssertThrowsError(try FrameworkExport.sftRows(one, format: .verl))
    XCTAssertEqual(try FrameworkExport.sftRows(two, format: .trl).map { $0["end"] as? Bool }, [false, true])
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
    var synth = mathItem(4, question: "3x=15", answer: "5")
    synth.task = .synthetic
    XCTAssertEqual(FrameworkExport.label(synth), #"{"answer":"5","r1":null,"task":"synthetic"}"#)
    XCTAssertEqual(
      FrameworkExport.label(synth, r1: 0, shaping: 10),
      #"{"answer":"5","r1":0,"shaping":10,"task":"synthetic"}"#)
    let trl = FrameworkExport.rlPromptRow(mbpp, format: .trl)
    XCTAssertEqual(trl["label"] as? String, FrameworkExport.label(mbpp))
  }

  func testScoreTurnsShareTheGroupAndCarryStageIILabels() {
    let x1: [ChatMessage] = [.user("Q")]
    let x2: [ChatMessage] = [.user("Q"), .assistant("a"), .user("P")]
    let e = FrameworkExport.TurnEpisode(
      group: "g", sample: 1, labelFields: ["task": "math", "answer": "b"],
      attempts: [
        .init(prompt: .chat(x1), text: "a", reward: 0), .init(prompt: .chat(x2), text: "b", reward: 1),
      ])
    let trl = FrameworkExport.turnRows(e, format: .trl).map(line)
    XCTAssertEqual(
      trl,
      [
        #"{"completion":[{"content":"a","role":"assistant"}],"group":"g","label":"{\"answer\":\"b\",\"r1\":null,\"task\":\"math\"}","prompt":[{"content":"Q","role":"user"}],"reward":0,"sample":1,"turn":1}"#,
        #"{"completion":[{"content":"b","role":"assistant"}],"group":"g","label":"{\"answer\":\"b\",\"r1\":0,\"shaping\":10,\"task\":\"math\"}","prompt":[{"content":"Q","role":"user"},{"content":"a","role":"assistant"},{"content":"P","role":"user"}],"reward":1,"sample":1,"turn":2}"#,
      ])
    let orl = FrameworkExport.turnRows(e, format: .openrlhf, shaping: 5)
    XCTAssertEqual(orl[0]["label"] as? String, #"{"answer":"b","r1":null,"task":"math"}"#)
    XCTAssertEqual(orl[1]["label"] as? String, #"{"answer":"b","r1":0,"shaping":5,"task":"math"}"#)
    let verl = FrameworkExport.turnRows(e, format: .verl).map(line)
    XCTAssertEqual(
      verl[1],
      #"{"ability":"math","data_source":"score-turns","extra_info":{"group":"g","label":"{\"answer\":\"b\",\"r1\":0,\"shaping\":10,\"task\":\"math\"}","previous_reward":0,"response":"b","reward":1,"sample":1,"shaping":10,"turn":2},"prompt":[{"content":"Q","role":"user"},{"content":"a","role":"assistant"},{"content":"P","role":"user"}],"reward_model":{"ground_truth":"b","style":"rule"}}"#
    )
    // Code labels travel whole (the server's HumanEval check needs the test code).
    let he = EvalItem(
      index: 0,
      problem: Problem(
        id: "h", prompt: "def add(a, b):", kind: .code,
        reference: .humanEval(test: "def check(f): pass", entryPoint: "add"),
        source: "humaneval"), task: .humanEval)
    let code = FrameworkExport.TurnEpisode(
      group: "h", sample: 0, labelFields: FrameworkExport.labelObject(he, r1: nil, shaping: nil),
      attempts: [
        .init(prompt: .text("x"), text: "y", reward: 1), .init(prompt: .text("x2"), text: "z", reward: 0),
      ])
    XCTAssertEqual(
      FrameworkExport.turnRows(code, format: .openrlhf)[1]["label"] as? String,
      #"{"entry_point":"add","r1":1,"shaping":10,"task":"humaneval","tests":["def check(f): pass"]}"#)
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

    // Every row's label is graded by the server: turn 1 plain, turns 2–3 with r1 and α.
    let labels = try lines.map {
      try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["label"] as? String
    }
    XCTAssertEqual(labels[0], #"{"answer":"4","r1":null,"task":"math"}"#)
    XCTAssertEqual(labels[1], #"{"answer":"4","r1":1,"shaping":10,"task":"math"}"#)

    // A training episode keeps no reference: without --data it is refused, with it labelled.
    let episode = SCoReEpisode(
      problemID: "p0", sample: 2,
      attempts: [
        SCoReAttempt(
          prompt: .text("x"), text: "y", tokens: [], logProbs: [], finishReason: .length, reward: 1,
          extractedAnswer: nil)
      ])
    let enc = JSONEncoder()
    let eps = root.appendingPathComponent("episodes.jsonl")
    try (String(decoding: try enc.encode(episode), as: UTF8.self) + "\n").write(
      to: eps, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(
      try FrameworkExport.export(
        input: eps.path, output: out, options: ExportOptions(kind: .scoreTurns, format: .trl))
    ) { XCTAssertTrue("\($0)".contains("--data"), "\($0)") }
    let problems = root.appendingPathComponent("problems.jsonl")
    try #"{"id": "p0", "problem": "2+2", "answer": "4"}"#.appending("\n").write(
      to: problems, atomically: true, encoding: .utf8)
    let rows = try FrameworkExport.rows(
      input: eps.path, options: ExportOptions(kind: .scoreTurns, format: .openrlhf, data: problems.path))
    XCTAssertEqual(rows.first?["label"] as? String, #"{"answer":"4","r1":null,"task":"math"}"#)

    // A bad line names file and line.
    try (String(decoding: try enc.encode(episode), as: UTF8.self) + "\n{\"nope\":1}\n").write(
      to: eps, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(
      try FrameworkExport.export(
        input: eps.path, output: out,
        options: ExportOptions(kind: .scoreTurns, format: .trl, data: problems.path))
    ) { error in
      guard case .badLine(let f, let l, _) = error as? ExportError else { return XCTFail("\(error)") }
      XCTAssertEqual(f, eps.path)
      XCTAssertEqual(l, 2)
    }
  }

  /// HumanEval results keep only the entry point: --data supplies the tests, without it the
  /// export says so.
  func testCodeResultsTakeTheirTestsFromTheDataFile() throws {
    let root = temporaryDirectory("export-code")
    let record = EvalRecord(
      id: "HumanEval/0", index: 0, source: "humaneval", task: "humanEval", evalProtocol: "score",
      reference: "check(add)", prompt: .text("def add(a, b):\n"),
      attempts: [
        EvalAttempt(
          prompt: .text("def add(a, b):\n"), text: "    return a - b", extracted: nil, correct: false,
          reward: 0),
        EvalAttempt(
          prompt: .text("def add(a, b):\n…"), text: "    return a + b", extracted: nil, correct: true,
          reward: 1),
      ], attemptsUsed: 2, finalAnswer: nil, finalCorrect: true)
    let results = root.appendingPathComponent("results.jsonl")
    try (String(decoding: try JSONEncoder().encode(record), as: UTF8.self) + "\n").write(
      to: results, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(
      try FrameworkExport.rows(
        input: results.path, options: ExportOptions(kind: .scoreTurns, format: .openrlhf))
    ) {
      XCTAssertEqual($0 as? ExportError, .needsData(id: "HumanEval/0", task: "humaneval"))
    }
    let data = root.appendingPathComponent("he.jsonl")
    try
      #"{"task_id": "HumanEval/0", "prompt": "def add(a, b):\n", "canonical_solution": "    return a + b\n", "test": "def check(f):\n    assert f(1, 2) == 3\n", "entry_point": "add"}"#
      .appending("\n").write(to: data, atomically: true, encoding: .utf8)
    let rows = try FrameworkExport.rows(
      input: results.path,
      options: ExportOptions(kind: .scoreTurns, format: .openrlhf, data: data.path, shaping: 5))
    XCTAssertEqual(
      rows.map { $0["label"] as? String },
      [
        #"{"entry_point":"add","r1":null,"task":"humaneval","tests":["def check(f):\n    assert f(1, 2) == 3\n"]}"#,
        #"{"entry_point":"add","r1":0,"shaping":5,"task":"humaneval","tests":["def check(f):\n    assert f(1, 2) == 3\n"]}"#,
      ])
  }

  /// `recheck demo`'s SCoRe results (`results/score.jsonl` and the other SCoRe methods' files): synthetic turns in the plain-text
  /// layout the demo's models were trained on.
  func testDemoSCoReResultsBecomeSyntheticTurns() throws {
    let root = temporaryDirectory("export-demo")
    let file = root.appendingPathComponent("score.jsonl")
    try #"{"answer":5,"problem":"3x=15","r1":0,"r2":1,"y1":"x=\\boxed{4}","y2":"x=\\boxed{5}"}"#.appending(
      "\n"
    )
    .write(to: file, atomically: true, encoding: .utf8)
    let rows = try FrameworkExport.rows(
      input: file.path, options: ExportOptions(kind: .scoreTurns, format: .trl))
    XCTAssertEqual(
      rows.map { $0["prompt"] as? String },
      ["3x=15\n", "3x=15\nx=\\boxed{4}\n" + SyntheticFormat.scoreInstruction + "\n"])
    XCTAssertEqual(rows.map { $0["completion"] as? String }, ["x=\\boxed{4}", "x=\\boxed{5}"])
    XCTAssertEqual(
      rows.map { $0["label"] as? String },
      [
        #"{"answer":"5","r1":null,"task":"synthetic"}"#,
        #"{"answer":"5","r1":0,"shaping":10,"task":"synthetic"}"#,
      ])
    let verl = try FrameworkExport.rows(
      input: file.path, options: ExportOptions(kind: .scoreTurns, format: .verl))
    XCTAssertEqual((verl[1]["reward_model"] as? [String: Any])?["ground_truth"] as? String, "5")
  }
}
