import Datasets
import Rollouts
import Tokenizers
import Training
import Verifiers
import XCTest

@testable import Evaluation

/// The S²R SFT export trains, through a completion-only loss, exactly the tokens Recheck's own SFT
/// trains: checked token by token against `S2RDeltaMask` (via `S2RBehaviourData.sequences`, what
/// `recheck sft` and the demo train on).
final class S2RTrainedSegmentsTests: XCTestCase {
  let c = S2RTrajectory.checkMarker
  let r = S2RTrajectory.retryMarker
  let yes = SyntheticTask.correctVerdict
  let no = SyntheticTask.incorrectVerdict

  func testHandWorkedThreeAttemptTrajectory() {
    // s1 C v1 R s2 C v2 R s3 C v3 → δ 0 1 1 0 0 1 1 1 1 1 1 (s2r.md §3.2, Fig. 2) → [C v1] and
    // [C v2 R s3 C v3]: the wrong attempts s1, s2 and the retry marker before s2 are only context.
    let v1 = "Check: 3*4=12 " + no
    let v2 = "Check: 3*6=18 " + no
    let v3 = "Check: 3*5=15 " + yes
    let answer = "x=\\boxed{4}" + c + v1 + r + "x=\\boxed{6}" + c + v2 + r + "x=\\boxed{5}" + c + v3
    let s = S2RTrainedSegments.segments(prompt: "3x=15\n", answer: answer)
    XCTAssertEqual(
      s,
      [
        S2RTrainedSegment(context: "3x=15\nx=\\boxed{4}", target: c + v1, isEnd: false),
        S2RTrainedSegment(
          context: "3x=15\nx=\\boxed{4}" + c + v1 + r + "x=\\boxed{6}",
          target: c + v2 + r + "x=\\boxed{5}" + c + v3, isEnd: true),
      ])
    // No wrong attempt: the whole answer is one trained segment.
    XCTAssertEqual(
      S2RTrainedSegments.segments(prompt: "p\n", answer: "a" + c + yes),
      [S2RTrainedSegment(context: "p\n", target: "a" + c + yes, isEnd: true)])
    // One wrong attempt: one segment after it. ChatML: the end of turn and the template tail after
    // it are trained with the last segment.
    let chat = S2RTrainedSegments.segments(
      prompt: "P", answer: "a" + c + no + r + "b" + c + yes + "<|im_end|>\n")
    XCTAssertEqual(
      chat,
      [S2RTrainedSegment(context: "Pa", target: c + no + r + "b" + c + yes + "<|im_end|>\n", isEnd: true)])
  }

  /// Trajectories with 0…3 wrong attempts, a marker written with a leading space, and a repeated
  /// check marker inside a verification (merged, as the parser does).
  var examples: [S2RSFTExample] {
    let attempt = { (v: Int) in "3x=15\nx=15/3\nx=\\boxed{\(v)}" }
    let verify = { (v: Int, ok: Bool) in "Check: 3*\(v)=\(3 * v) " + (ok ? self.yes : self.no) }
    var out: [S2RSFTExample] = []
    for k in 0...3 {
      let wrong = (0..<k).map { attempt(6 + $0) + c + verify(6 + $0, false) }
      let text = (wrong + [attempt(5) + c + verify(5, true)]).joined(separator: r)
      out.append(S2RSFTExample(id: "k\(k)", prompt: "3x=15\n", answer: text, wrongAttempts: k))
    }
    out.append(
      S2RSFTExample(
        id: "space", prompt: "2+2=?\n",
        answer: "\\boxed{5} " + c + "Check: " + c + no + " " + r + "\\boxed{4}" + c + yes, wrongAttempts: 1))
    // Four lines of `recheck demo --quick`'s s2r_sft.jsonl (0–3 wrong attempts), as written.
    out += [
      S2RSFTExample(
        id: "5+5-9-6=?#k1", prompt: "5+5-9-6=?\n",
        answer:
          "9+4=9. 23-6=-7. 1-3=-8. \\boxed{-5}\n\nWait, let me recheck my solution.\n\nCheck: 5+5=10, 10-9=1, 1-6=-5, same as -5. Therefore, the answer is correct.",
        wrongAttempts: 0),
      S2RSFTExample(
        id: "x+1=6", prompt: "x+1=6\n",
        answer:
          "x=7-1=1. \\boxed{1}\n\nWait, let me recheck my solution.\n\nCheck: 1+1=2, not 6. Therefore, the answer is incorrect.\n\nLet me try again.\n\nx=12-8=1. \\boxed{5}\n\nWait, let me recheck my solution.\n\nCheck: 5+1=6, same as 6. Therefore, the answer is correct.",
        wrongAttempts: 1),
      S2RSFTExample(
        id: "5+5-9-6=?", prompt: "5+5-9-6=?\n",
        answer:
          "5+8=17. 18-6=10. 12+3=5. \\boxed{10}\n\nWait, let me recheck my solution.\n\nCheck: 5+5=10, 10-9=1, 1-6=-5, not 10. Therefore, the answer is incorrect.\n\nLet me try again.\n\n5=2. 13-7=9. 10+7=8. \\boxed{8}\n\nWait, let me recheck my solution.\n\nCheck: 5+5=10, 10-9=1, 1-6=-5, not 8. Therefore, the answer is incorrect.\n\nLet me try again.\n\n9+4=9. 23-6=-7. 1-3=-8. \\boxed{-5}\n\nWait, let me recheck my solution.\n\nCheck: 5+5=10, 10-9=1, 1-6=-5, same as -5. Therefore, the answer is correct.",
        wrongAttempts: 2),
      S2RSFTExample(
        id: "6-7+1=?", prompt: "6-7+1=?\n",
        answer:
          "6+3=1. 1+7=8. \\boxed{10}\n\nWait, let me recheck my solution.\n\nCheck: 6-7=-1, -1+1=0, not 10. Therefore, the answer is incorrect.\n\nLet me try again.\n\n4-5=2. 0-1=-1. -4-1=0. \\boxed{-6}\n\nWait, let me recheck my solution.\n\nCheck: 6-7=-1, -1+1=0, not -6. Therefore, the answer is incorrect.\n\nLet me try again.\n\n5-4=2. 1-8=r2. 2-8=0. -3-3=-5. \\boxed{-7}\n\nWait, let me recheck my solution.\n\nCheck: 6-7=-1, -1+1=0, not -7. Therefore, the answer is incorrect.\n\nLet me try again.\n\n2-5=4. 1-2=4. 4+1=1. \\boxed{0}\n\nWait, let me recheck my solution.\n\nCheck: 6-7=-1, -1+1=0, same as 0. Therefore, the answer is correct.",
        wrongAttempts: 3),
    ]
    return out
  }

  func testCompletionOnlyRowsTrainExactlyTheDeltaMaskTokenByToken() throws {
    let tokenizer = SyntheticFormat.tokenizer()
    let eos = try XCTUnwrap(tokenizer.eosTokenID)
    for e in examples {
      let reference = try XCTUnwrap(S2RBehaviourData.sequences([e], tokenizer: tokenizer).first)
      var trained = [Int](repeating: 0, count: reference.tokens.count)
      let rows = try FrameworkExport.sftRows(e, format: .trl)
      for row in rows {
        let prompt = try XCTUnwrap(row["prompt"] as? String)
        let completion = try XCTUnwrap(row["completion"] as? String)
        let end = try XCTUnwrap(row["end"] as? Bool)
        // What a completion-only loss sees: prompt ids, then the completion's (EOS on the end row,
        // as recheck_sft_dataset appends it).
        let promptIDs = tokenizer.encode(prompt)
        let ids = tokenizer.encode(prompt + completion) + (end ? [eos] : [])
        XCTAssertEqual(Array(ids.prefix(promptIDs.count)), promptIDs, e.id)
        XCTAssertEqual(
          ids, Array(reference.tokens.prefix(ids.count)), "\(e.id): row is not a prefix of the sequence")
        for i in promptIDs.count..<ids.count { trained[i] += 1 }
        XCTAssertEqual(row["weight"] as? Double, 1)
      }
      XCTAssertEqual(rows.filter { $0["end"] as? Bool == true }.count, 1, e.id)
      XCTAssertEqual(
        trained, reference.weights.map { Int($0) }, "\(e.id): trained tokens differ from the δ-mask")
      XCTAssertEqual(rows.count, max(1, e.wrongAttempts), e.id)
    }
  }
}
