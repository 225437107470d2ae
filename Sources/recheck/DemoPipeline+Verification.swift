import Datasets
import Evaluation
import Foundation
import Generation
import Models
import Rollouts

/// S²R's premise measured before any RL (issue 20 item 2): how often the behaviour-initialised
/// model's verification accepts a right attempt (a) and rejects a wrong one (r). A retry after a
/// rejection is expected to raise accuracy only when a + r > 1 (`S2RVerificationRates`).
extension DemoPipeline {
  /// Longest verification generated (characters; the synthetic verifications are one line).
  static let verificationMaxTokens = 120

  /// The BI model verifies the base model's greedy first attempts: greedy continuation of
  /// prompt + attempt + check marker, stopped at EOS or the retry marker, its verdict read by
  /// `S2RVerdictParser.read` (undetermined stays nil). Correctness is the attempt's own
  /// (`SyntheticFormat.score`, as in evaluation). Writes `s2r_bi/verification_base.jsonl`.
  func measureVerification(_ bi: Transformer, heldOut: [SyntheticProblem]) throws {
    guard baseFirstAttempts.count == heldOut.count, !heldOut.isEmpty else { return }
    var params = SamplingParams(temperature: 0, maxNewTokens: Self.verificationMaxTokens)
    params.stopTokenIDs = [tokenizer.eosTokenID!]
    params.stopStrings = [SyntheticFormat.retryMarker]
    let generator = Generator(model: bi, tokenizer: tokenizer)
    let prompts = zip(heldOut, baseFirstAttempts).map { p, a in
      tokenizer.encode(SyntheticFormat.prompt(p) + a.text + SyntheticFormat.checkMarker)
    }
    var texts: [String] = []
    for start in stride(from: 0, to: prompts.count, by: 64) {
      let range = start..<min(start + 64, prompts.count)
      texts += generator.generate(
        prompts: Array(prompts[range]), params: params, seeds: range.map(UInt64.init)
      ).map(\.text)
    }
    let attempts = zip(baseFirstAttempts, texts).map { a, v in
      S2RCheckedAttempt(correct: a.correct, verdict: S2RVerdictParser.read(v).verdict)
    }
    checked["base_attempts"] = attempts
    let lines = zip(heldOut, zip(baseFirstAttempts, zip(texts, attempts))).map { p, x -> [String: Any] in
      [
        "problem": p.text, "attempt": x.0.text, "correct": x.0.correct, "verification": x.1.0,
        "verdict": x.1.1.verdict?.rawValue ?? "undetermined",
      ]
    }
    try writeJSONL(lines, "s2r_bi/verification_base.jsonl")
    Progress.say(
      "s2r: " + Self.describe(S2RVerificationRates(attempts), who: "BI verifying the base's first attempts"))
  }

  /// The BI model's own held-out first attempts and first verdicts (from its S²R evaluation).
  func recordOwnVerification() {
    guard let r = records["s2r_bi"] else { return }
    let attempts = S2RCheckedAttempt.firstAttempts(r)
    checked["bi_own"] = attempts
    Progress.say(
      "s2r: " + Self.describe(S2RVerificationRates(attempts), who: "BI verifying its own first attempts"))
  }

  /// e.g. "BI …: a = 0.93 (accepts 120/129 right), r = 0.88 (rejects 62/71 wrong), a + r = 1.81
  /// (> 1: a retry is expected to pay); 0 undetermined".
  static func describe(_ v: S2RVerificationRates, who: String) -> String {
    let f = rateText
    var s = "\(who): a = \(f(v.a)) (accepts \(v.accepted)/\(v.right) right), "
    s += "r = \(f(v.r)) (rejects \(v.rejected)/\(v.wrong) wrong)"
    if let a = v.a, let r = v.r {
      s +=
        ", a + r = \(f(a + r)) (\(a + r > 1 ? "> 1: a retry is expected to pay" : "≤ 1: a retry is not expected to pay"))"
    }
    return s + "; \(v.undetermined) undetermined"
  }

  /// A rate with two decimals, "–" where it is undefined (no attempt in its denominator).
  static func rateText(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "–" }
}
