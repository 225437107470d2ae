import Datasets
import Foundation
import Tokenizers
import Verifiers

/// Stage-0 data construction (spec §2.2–2.3), as pure seeded steps plus one resumable driver.
///
/// Differences from the official scripts, on purpose: answer groups are ordered (right answers first,
/// then first appearance; §9.15 dict order), `wrongCount` uses the caller's correctness flag rather
/// than exact string comparison (§9.15), the verdict is read by the one `S2RVerdictParser`
/// (rules 1–3; keywords anywhere are not enough for data), and all randomness comes from the caller.
public enum S2RDataBuilder {
  /// System prompt of the S²R data and RL prompts (spec §2.1).
  public static let systemPrompt = "Please reason step by step, and put your final answer within \\boxed{}."

  /// Indices of the attempts grouped by extracted answer (exact string), right answers first, then
  /// wrong ones, each in order of first appearance; at most `maxGroups`; attempts with an empty answer
  /// or text are left out.
  ///
  /// Example: answers `["3", "4", "", "3", "5"]`, right = "4" → `[[1], [0, 3], [4]]`.
  public static func answerGroups(_ attempts: [S2RSampledAttempt], maxGroups: Int = 5) -> [[Int]] {
    var order: [String] = []
    var members: [String: [Int]] = [:]
    for (i, a) in attempts.enumerated() where !a.answer.isEmpty && !a.text.isEmpty {
      if members[a.answer] == nil { order.append(a.answer) }
      members[a.answer, default: []].append(i)
    }
    let right = order.filter { attempts[members[$0]![0]].correct }
    let wrong = order.filter { !attempts[members[$0]![0]].correct }
    return (right + wrong).prefix(maxGroups).map { members[$0]! }
  }

  /// Data clean-up and verdict of a verification (spec §2.3): `"original answer"` → `"answer"`,
  /// `" without solving the problem step by step"` removed, `"is plausible"` → `"is correct"` when the
  /// verdict is correct; nil for an empty or undetermined verification.
  ///
  /// Example: `" The original answer is plausible."` → (`" The answer is correct."`, correct).
  public static func cleanVerification(_ text: String) -> (text: String, verdict: S2RVerdict)? {
    var t = text.replacingOccurrences(of: "original answer", with: "answer")
      .replacingOccurrences(of: " without solving the problem step by step", with: "")
    guard !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
      let v = S2RVerdictParser.read(t, scope: .lastSentences).verdict
    else { return nil }
    if v == .correct { t = t.replacingOccurrences(of: "is plausible", with: "is correct") }
    return (t, v)
  }

  /// Why a verification was not kept (`S2RVerifiedProblem.discardReasons` keys).
  public enum DiscardReason: String, Sendable, CaseIterable {
    /// The verifier returned nothing (empty text).
    case empty
    /// No verdict could be read (rules of `S2RVerdictParser`, last sentences), or "cannot be verified".
    case undetermined
    /// The verdict disagrees with the grader (spec §2.3 filtering).
    case disagrees = "disagrees-with-grader"
  }

  /// Step 2 for one problem: one verifier call per kept distinct answer; verifications whose verdict
  /// agrees with the truth fill the pools (every right attempt of a confirmed group; the first attempt
  /// of each confirmed wrong group). With `fixedVerdictSentence` (LLM verifiers) each kept verification
  /// is rewritten to end in exactly one fixed closing sentence (`S2RVerdictSentence.normalised`);
  /// programmatic (synthetic) verifications are kept as written.
  public static func verify(
    _ p: S2RStage0Problem, source: some S2RVerificationSource, maxDistinctAnswers: Int = 5,
    fixedVerdictSentence: Bool = false
  ) async throws -> S2RVerifiedProblem {
    let asked = verificationQueries(p, maxDistinctAnswers: maxDistinctAnswers)
    // All of the problem's verifier calls at once (one batch / concurrent requests).
    let replies = try await source.verifications(asked.queries)
    return verified(p, groups: asked.groups, replies: replies, fixedVerdictSentence: fixedVerdictSentence)
  }

  /// The verifier questions of `verify`: one per answer group (`answerGroups`), asked with the group's
  /// first attempt. Split from `verify` so a caller can ask for several problems' verifications in one
  /// call (`S2RBenchmarkCollector.problemsPerCall`).
  public static func verificationQueries(_ p: S2RStage0Problem, maxDistinctAnswers: Int = 5) -> (
    groups: [[Int]], queries: [S2RVerificationQuery]
  ) {
    let groups = answerGroups(p.attempts, maxGroups: maxDistinctAnswers)
    return (
      groups,
      groups.map { g in
        let first = p.attempts[g[0]]
        return S2RVerificationQuery(problem: p.problem, answer: first.answer, correct: first.correct)
      }
    )
  }

  /// `verify` once the verifier has answered `verificationQueries` (`replies[i]` for `groups[i]`).
  public static func verified(
    _ p: S2RStage0Problem, groups: [[Int]], replies: [String?], fixedVerdictSentence: Bool = false
  ) -> S2RVerifiedProblem {
    var correct: [S2RVerifiedPair] = []
    var incorrect: [S2RVerifiedPair] = []
    var reasons: [String: Int] = [:]
    let calls = groups.count
    for (group, raw) in zip(groups, replies) {
      let first = p.attempts[group[0]]
      let reason: DiscardReason?
      var kept = ""
      if let raw, !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        if let (text, verdict) = cleanVerification(raw) {
          if (verdict == .correct) == first.correct {
            reason = nil
            kept = fixedVerdictSentence ? S2RVerdictSentence.normalised(text, verdict: verdict) : text
          } else {
            reason = .disagrees
          }
        } else {
          reason = .undetermined
        }
      } else {
        reason = .empty
      }
      if let reason {
        reasons[reason.rawValue, default: 0] += 1
        continue
      }
      if first.correct {
        correct += group.map { S2RVerifiedPair(attempt: p.attempts[$0], verification: kept) }
      } else {
        incorrect.append(S2RVerifiedPair(attempt: first, verification: kept))
      }
    }
    var v = S2RVerifiedProblem(
      id: p.id, problem: p.problem, wrongCount: p.attempts.count { !$0.correct }, correctPool: correct,
      incorrectPool: incorrect, verifierCalls: calls, discarded: reasons.values.reduce(0, +))
    v.discardReasons = reasons
    return v
  }

  /// How many wrong attempts to chain and with which probability to keep the problem (spec §2.3
  /// table); nil when the problem is dropped (no confirmed right attempt, or wrong samples but no
  /// confirmed wrong attempt).
  ///
  /// Example (defaults): wrongCount 3, pool 1 → (1, 1.0); wrongCount 5, pool 4 → (3, 0.5);
  /// wrongCount 0 → (0, 0.2394).
  public static func plan(wrongCount: Int, correctPool: Int, incorrectPool: Int, mix: S2RTrajectoryMix)
    -> (wrongAttempts: Int, keepProbability: Double)?
  {
    guard correctPool > 0, !mix.targetWrongAttempts.isEmpty else { return nil }
    let target = mix.targetWrongAttempts[min(wrongCount, mix.targetWrongAttempts.count - 1)]
    if wrongCount > 0 && incorrectPool == 0 && target > 0 { return nil }
    let n = min(target, incorrectPool)
    let p =
      n == target
      ? (n < mix.keepProbability.count ? mix.keepProbability[n] : 1) : mix.keepProbabilityWhenShort
    return (n, p)
  }

  /// The solution part of a sampled attempt: `text` up to the first check marker, or up to a marker
  /// that the token budget cut off at the text's end ("…\boxed{79}\n\nWait, let me"); the whole
  /// text when it holds neither. A base that has seen S²R's check after its solutions (the synthetic
  /// corpus's `recheckFraction`) goes on past its answer into a check of its own, without a verdict;
  /// in a trajectory that check would sit before the verifier's, so an attempt is cut to its solution.
  ///
  /// Example: `"2, 11-2=9. \boxed{29}" + CHECK + "Check: L=7 . . 3 1"` → `"2, 11-2=9. \boxed{29}"`.
  public static func solutionPart(_ text: String) -> String {
    let marker = S2RTrajectory.checkMarker
    if let r = text.range(of: marker) { return String(text[..<r.lowerBound]) }
    // A marker cut at the end: the longest suffix of `text` that starts the marker, "\n\nW" or longer
    // (a bare "\n\n" is only trailing whitespace, which a solution may end with).
    for length in stride(from: min(marker.count - 1, text.count), through: 3, by: -1) {
      let tail = text.suffix(length)
      if marker.hasPrefix(tail) { return String(text.dropLast(length)) }
    }
    return text
  }

  /// The trajectory text `s1 + CHECK + v1 + RETRY + … + sk + CHECK + vk` (spec §1).
  ///
  /// Example: wrong [("A", "no")], right ("B", "yes") → `"A" + CHECK + "no" + RETRY + "B" + CHECK + "yes"`.
  public static func trajectoryText(wrong: [S2RVerifiedPair], right: S2RVerifiedPair) -> String {
    (wrong + [right]).map { $0.attempt.text + S2RTrajectory.checkMarker + $0.verification }
      .joined(separator: S2RTrajectory.retryMarker)
  }

  /// Step 3 for one problem: plan, keep-coin, wrong attempts drawn uniformly without replacement, one
  /// right attempt drawn uniformly, chat-formatted. Nil when dropped or the coin says no.
  /// Draw order: coin, shuffle of the incorrect pool, index into the correct pool.
  public static func sftExample(
    _ v: S2RVerifiedProblem, mix: S2RTrajectoryMix, template: ChatTemplate,
    using rng: inout some RandomNumberGenerator
  ) throws -> S2RSFTExample? {
    try sftExample(
      v, mix: mix, format: { try chatFormat(problem: $0, trajectory: $1, template: template) }, using: &rng)
  }

  /// As `sftExample(_:mix:template:using:)` with a custom (problem, trajectory) → (prompt, answer)
  /// layout, e.g. the plain-text layout of the synthetic tasks.
  ///
  /// `repeatProbability` (ours, 0 = the paper): with this probability a trajectory with one or two
  /// wrong attempts repeats one of them, with its check, right after itself (`S2RBehaviourData.
  /// repeatedWrongFraction` says why); drawn after the right attempt, so 0 draws nothing more.
  public static func sftExample(
    _ v: S2RVerifiedProblem, mix: S2RTrajectoryMix,
    format: (_ problem: String, _ trajectory: String) throws -> (prompt: String, answer: String),
    repeatProbability: Double = 0, using rng: inout some RandomNumberGenerator
  ) throws -> S2RSFTExample? {
    guard
      let (n, keep) = plan(
        wrongCount: v.wrongCount, correctPool: v.correctPool.count, incorrectPool: v.incorrectPool.count,
        mix: mix)
    else { return nil }
    guard Double.random(in: 0..<1, using: &rng) < keep else { return nil }
    var wrong = Array(v.incorrectPool.shuffled(using: &rng).prefix(n))
    let right = v.correctPool[Int.random(in: 0..<v.correctPool.count, using: &rng)]
    if repeatProbability > 0, (1...2).contains(wrong.count),
      Double.random(in: 0..<1, using: &rng) < repeatProbability
    {
      let i = Int.random(in: 0..<wrong.count, using: &rng)
      wrong.insert(wrong[i], at: i + 1)
    }
    let (prompt, answer) = try format(v.problem, trajectoryText(wrong: wrong, right: right))
    return S2RSFTExample(id: v.id, prompt: prompt, answer: answer, wrongAttempts: wrong.count)
  }

  /// `prompt` = template of [system, user] with the generation prompt; `answer` = the full templated
  /// conversation minus `prompt` (spec §2.3 `transform_data`; ChatML answers end with `<|im_end|>\n`).
  public static func chatFormat(problem: String, trajectory: String, template: ChatTemplate) throws -> (
    prompt: String, answer: String
  ) {
    let head: [ChatMessage] = [.system(systemPrompt), .user(problem)]
    let prompt = template.render(head, addGenerationPrompt: true)
    let full = template.render(head + [.assistant(trajectory)], addGenerationPrompt: false)
    guard full.hasPrefix(prompt) else { throw S2RDataError.templateNotPrefix(template: "\(template)") }
    return (prompt, String(full.dropFirst(prompt.count)))
  }

  /// Step 2 over many problems, resumable: problems whose id `writer` already holds are skipped; each
  /// finished problem is appended (and fsynced) before the next starts. Returns how many were verified
  /// in this run.
  public static func verifyAll(
    _ problems: [S2RStage0Problem], source: some S2RVerificationSource, writer: ResumableJSONLWriter,
    maxDistinctAnswers: Int = 5
  ) async throws -> Int {
    var done = 0
    for p in problems where !writer.isFinished(p.id) {
      let v = try await verify(p, source: source, maxDistinctAnswers: maxDistinctAnswers)
      try writer.append(v, id: p.id)
      done += 1
    }
    return done
  }
}

public enum S2RDataError: Error, Equatable, CustomStringConvertible {
  case templateNotPrefix(template: String)

  public var description: String {
    switch self {
    case .templateNotPrefix(let t):
      return "chat template \(t): the rendered prompt is not a prefix of the rendered conversation"
    }
  }
}
