import Foundation
import XCTest

@testable import RewardServer

/// The labels `recheck export` writes (FrameworkExportTests pins the same strings on the export
/// side) are all graded by `/get_reward`, with SCoRe's Stage II shaping.
final class RewardScorerTests: XCTestCase {
  func rewards(_ service: RewardService, _ queries: [String], _ labels: [String]) async throws
    -> GetRewardResponse
  {
    let body = try JSONSerialization.data(withJSONObject: [
      "query": queries, "prompts": queries.map { _ in "" }, "labels": labels,
    ])
    let reply = await service.handle(.getReward, body: body)
    XCTAssertEqual(reply.status, 200, String(decoding: reply.body, as: UTF8.self))
    return try JSONDecoder().decode(GetRewardResponse.self, from: reply.body)
  }

  func testEveryExportedTaskIsGradedAndShaped() async throws {
    // The sandbox stand-in passes a program exactly when it adds (`a + b`).
    let executor = ScriptedExecutor(check: { program, _ in
      .init(verdict: program.contains("a + b") ? .passed : .failed)
    })
    let service = RewardService(executor: executor)
    let synth1 = #"{"answer":"5","r1":null,"task":"synthetic"}"#
    let synth2 = #"{"answer":"5","r1":0,"shaping":10,"task":"synthetic"}"#
    let math2 = #"{"answer":"4","r1":1,"shaping":10,"task":"math"}"#
    let he =
      #"{"entry_point":"add","r1":0,"shaping":10,"task":"humaneval","tests":["def check(f):\n    assert f(1, 2) == 3"]}"#
    let mbpp = #"{"r1":null,"task":"mbpp","tests":["assert add(1, 2) == 3"]}"#
    let right = "```python\ndef add(a, b):\n    return a + b\n```"
    let wrong = "```python\ndef add(a, b):\n    return a - b\n```"
    let out = try await rewards(
      service,
      [
        "3x=15\nx=\\boxed{5}", "x=\\boxed{6}", "no box", "x=\\boxed{5}", "\\boxed{4}", "\\boxed{5}", right,
        wrong,
        right, wrong,
      ],
      [synth1, synth1, synth1, synth2, math2, math2, he, he, mbpp, mbpp])
    XCTAssertEqual(out.scores, [1, 0, 0, 1, 1, 0, 1, 0, 1, 0])
    // Shaped where r1 and α are given: 1 + 10(1 − 0) = 11, 0 + 10(0 − 0) = 0; math r1 = 1:
    // 1 + 10(1 − 1) = 1, 0 + 10(0 − 1) = −10.
    XCTAssertEqual(out.rewards, [1, 0, 0, 11, 1, -10, 11, 0, 1, 0])
    // HumanEval's test code ends with check(entry_point); MBPP's asserts run as they are.
    let tests = executor.recordedChecks.map(\.tests)
    XCTAssertTrue(tests[0].hasSuffix("check(add)\n"), tests[0])
    XCTAssertEqual(tests[2], "assert add(1, 2) == 3\n")
  }

  func testRecheckSpellingsAndAliasesAreAccepted() throws {
    // `recheck eval` records say "humanEval"; verl rows say previous_reward; α may be called alpha.
    let label = try RewardLabel.parse(
      #"{"task":"humanEval","tests":"def check(f): pass","entry_point":"f","previous_reward":1,"alpha":10}"#)
    XCTAssertEqual(label.task, "humaneval")
    XCTAssertEqual(label.r1, 1)
    XCTAssertEqual(label.shaping, 10)
    XCTAssertEqual(try RewardLabel.parse(#"{"task":"MBPP","tests":["assert 1"]}"#).task, "mbpp")
  }

  func testUnknownTaskAndBadSyntheticAnswerGet400NamingTheFieldAndTheServerKeepsServing() async throws {
    let service = RewardService()
    let cases: [(String, String)] = [
      (#"{"query":["a"],"labels":["{\"task\":\"chess\",\"answer\":\"1\"}"]}"#, "label field \"task\""),
      (#"{"query":["a"],"labels":["{\"task\":\"synthetic\",\"answer\":\"x\"}"]}"#, "integer \"answer\""),
    ]
    for (text, fragment) in cases {
      let reply = await service.handle(.getReward, body: Data(text.utf8))
      XCTAssertEqual(reply.status, 400, text)
      let message = try XCTUnwrap(
        (try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])?["error"] as? String)
      XCTAssertTrue(message.contains(fragment), message)
      XCTAssertTrue(message.contains("item 0"), message)
    }
    let after = try await rewards(service, ["\\boxed{7}"], [#"{"task":"synthetic","answer":"7"}"#])
    XCTAssertEqual(after.rewards, [1])
  }
}
