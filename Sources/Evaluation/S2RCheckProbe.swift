import Generation
import Rollouts
import Verifiers

/// Teacher-forced probe of an S²R model's checks (session 32's diagnostic, Docs/reproduction.md): for
/// the k-th check of a training trajectory, the model is given the prompt and the trajectory's own text
/// up to and including the k-th check marker — the attempts and earlier checks as the data wrote them,
/// not as the model would — and continues greedily. The check is *exact* when the continuation starts
/// with the data's verification, and its *verdict agrees* when the verdict read from the continuation
/// (fixed sentence or last sentences, `S2RVerdictParser`) is the data's.
///
/// Why: the demo's held-out evaluation mixes two causes of a wrong late verdict — the model's own
/// earlier attempts leading it somewhere the data never went, and a check it cannot write even on the
/// data's own prefixes. The probe isolates the second: session 32 found BI writing the program's 3rd
/// check exactly in 10 of 160 training prefixes at lr 1e-3 and 92 at lr 2e-3.
///
/// Example: answer `s1 C v1 R s2 C v2` (C check marker, R retry marker) → two cases, position 1 with
/// prefix prompt + `s1 C` and expected `v1`, position 2 with prefix prompt + `s1 C v1 R s2 C` and
/// expected `v2`.
public enum S2RCheckProbe {
  /// One check to probe.
  public struct Case: Sendable, Equatable {
    public var id: String
    /// 1-based position of the check in its trajectory.
    public var position: Int
    /// Prompt and answer text through the check marker in front of the check.
    public var prefix: String
    /// The data's verification (the text between that check marker and the next retry marker or the end).
    public var expected: String

    public init(id: String, position: Int, prefix: String, expected: String) {
      self.id = id
      self.position = position
      self.prefix = prefix
      self.expected = expected
    }
  }

  /// Per position: cases probed, exact continuations, continuations whose verdict agrees.
  public struct PositionResult: Sendable, Equatable, Codable {
    public var position: Int
    public var cases: Int
    public var exact: Int
    public var verdictAgrees: Int

    public init(position: Int, cases: Int, exact: Int, verdictAgrees: Int) {
      self.position = position
      self.cases = cases
      self.exact = exact
      self.verdictAgrees = verdictAgrees
    }
  }

  /// The checks of one example, in order (an answer without a check marker has none). The answer is cut
  /// into turns by `S2RTrajectory` (spec §1; the layout `S2RDataBuilder` writes); each prefix is the
  /// prompt plus the answer's own text re-joined through the check marker.
  public static func cases(_ e: S2RSFTExample) -> [Case] {
    var out: [Case] = []
    var prefix = e.prompt
    for (i, turn) in S2RTrajectory(e.answer).turns.enumerated() {
      prefix += (i > 0 ? S2RTrajectory.retryMarker : "") + turn.attempt
      guard let verification = turn.verification else { continue }
      prefix += S2RTrajectory.checkMarker
      out.append(Case(id: e.id, position: out.count + 1, prefix: prefix, expected: verification))
      prefix += verification
    }
    return out
  }

  /// The checks of many examples, at most `perPosition` at each position (the first ones in file order;
  /// nil: all). Examples with fewer than `minimumChecks` checks are skipped.
  public static func cases(_ examples: [S2RSFTExample], perPosition: Int? = nil, minimumChecks: Int = 1)
    -> [Case]
  {
    var taken: [Int: Int] = [:]
    var out: [Case] = []
    for e in examples {
      let mine = cases(e)
      guard mine.count >= minimumChecks else { continue }
      for c in mine where perPosition.map({ taken[c.position, default: 0] < $0 }) ?? true {
        taken[c.position, default: 0] += 1
        out.append(c)
      }
    }
    return out
  }

  /// The verdict of a continuation: read up to the first retry or check marker the model wrote next.
  static func verdict(of continuation: String) -> S2RVerdict? {
    var text = Substring(continuation)
    for marker in [S2RTrajectory.retryMarker, S2RTrajectory.checkMarker] {
      if let r = text.range(of: marker) { text = text[..<r.lowerBound] }
    }
    return S2RVerdictParser.read(String(text), scope: .lastSentences).verdict
  }

  /// Greedy continuations of every case (`batchSize` prompts per backend call, each allowed the
  /// expected text's UTF-8 length plus 8 new tokens — at least one token per byte for Recheck's
  /// character tokenizer, more than enough for a BPE), scored per position.
  public static func run(_ cases: [Case], model: any LanguageModel, batchSize: Int = 32) async throws
    -> [PositionResult]
  {
    var byPosition: [Int: PositionResult] = [:]
    var start = 0
    while start < cases.count {
      let batch = Array(cases[start..<min(start + max(batchSize, 1), cases.count)])
      let replies = try await model.complete(
        batch.map {
          CompletionRequest(
            prompt: .text($0.prefix), params: .greedy(maxNewTokens: $0.expected.utf8.count + 8))
        })
      for (c, reply) in zip(batch, replies) {
        let text = reply.first?.text ?? ""
        var r =
          byPosition[c.position] ?? PositionResult(position: c.position, cases: 0, exact: 0, verdictAgrees: 0)
        r.cases += 1
        if text.hasPrefix(c.expected) { r.exact += 1 }
        if let v = verdict(of: text), v == verdict(of: c.expected) { r.verdictAgrees += 1 }
        byPosition[c.position] = r
      }
      start += batch.count
    }
    return byPosition.keys.sorted().map { byPosition[$0]! }
  }
}
