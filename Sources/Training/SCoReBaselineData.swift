import Generation
import Rollouts
import Tokenizers

/// What a correction example teaches.
public enum SCoReCorrectionKind: String, Sendable, Codable, Hashable {
  /// Incorrect y1 → correct y2 (D_SFT, D_STaR).
  case incorrectToCorrect
  /// Correct y1 → correct y2 (the "+" data sets: "don't change right answers").
  case correctToCorrect
}

/// One supervised correction example: `prompt` is the turn-2 context x1 ⊕ y1 ⊕ p (chat messages or
/// plain text, same template as RL and evaluation, §1.4 (d)) and is never trained; `target` is y2,
/// the only trained part (turn 2 only).
public struct SCoReSFTExample: Sendable, Codable, Equatable {
  public var problemID: String
  public var kind: SCoReCorrectionKind
  public var prompt: Prompt
  public var target: String

  public init(problemID: String, kind: SCoReCorrectionKind, prompt: Prompt, target: String) {
    self.problemID = problemID
    self.kind = kind
    self.prompt = prompt
    self.target = target
  }
}

/// Training sets of SCoRe's SFT baselines (spec §4.1), built from base-model samples.
public enum SCoReBaselineData {
  /// STaR for correction: keep two-turn traces whose y1 is wrong and y2 right (D_STaR); with
  /// `includeCorrectToCorrect` also those right at both turns (D⁺_STaR). Traces are kept in input
  /// order; y2 is taken verbatim.
  ///
  /// Example: traces with correctness (✗,✓), (✓,✓), (✓,✗), (✗,✗) → D_STaR = [trace 0];
  /// D⁺_STaR = [trace 0, trace 1].
  public static func star(
    traces: [SCoReEpisode], problems: [SCoReProblem], prompts: SCoRePromptSet, layout: SCoRePromptLayout,
    includeCorrectToCorrect: Bool
  ) throws -> [SCoReSFTExample] {
    let byID = Dictionary(problems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var out: [SCoReSFTExample] = []
    for trace in traces where trace.attempts.count >= 2 {
      let (y1, y2) = (trace.attempts[0], trace.attempts[1])
      guard y2.isCorrect, !y1.isCorrect || includeCorrectToCorrect else { continue }
      guard let problem = byID[trace.problemID] else {
        throw SCoReTrainingError.unknownProblem(trace.problemID)
      }
      out.append(
        SCoReSFTExample(
          problemID: trace.problemID, kind: y1.isCorrect ? .correctToCorrect : .incorrectToCorrect,
          prompt: prompts.context(problem: problem, previousAttempts: [y1.text], layout: layout),
          target: y2.text))
    }
    return out
  }

  /// Pair-SFT (Welleck et al. 2023 variant, spec §4.1): from first attempts sampled independently
  /// from the base model (`samples[i].attempts[0]`), pair every incorrect response of a problem
  /// with a correct response of the same problem drawn uniformly with `rng` (D_SFT). With
  /// `includeCorrectToCorrect`, every correct response is also paired with a correct response
  /// drawn uniformly from the problem's correct ones, itself included, so a problem with a single
  /// correct sample still yields a c→c pair (D⁺_SFT). Problems without a correct sample give
  /// nothing. Order: problems by first appearance, then incorrect pairs, then correct pairs.
  ///
  /// Example: problem "p" with first attempts [w1 ✗, c1 ✓, w2 ✗] → [(w1 → c1), (w2 → c1)];
  /// with c→c also (c1 → c1).
  public static func pairSFT<R: RandomNumberGenerator>(
    samples: [SCoReEpisode], problems: [SCoReProblem], prompts: SCoRePromptSet, layout: SCoRePromptLayout,
    includeCorrectToCorrect: Bool, using rng: inout R
  ) throws -> [SCoReSFTExample] {
    let byID = Dictionary(problems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var order: [String] = []
    var groups: [String: [SCoReAttempt]] = [:]
    for sample in samples {
      guard let first = sample.attempts.first else { continue }
      if groups[sample.problemID] == nil { order.append(sample.problemID) }
      groups[sample.problemID, default: []].append(first)
    }
    var out: [SCoReSFTExample] = []
    for id in order {
      guard let problem = byID[id] else { throw SCoReTrainingError.unknownProblem(id) }
      let attempts = groups[id] ?? []
      let correct = attempts.filter(\.isCorrect)
      guard !correct.isEmpty else { continue }
      func pair(_ y1: SCoReAttempt, _ kind: SCoReCorrectionKind) -> SCoReSFTExample {
        let y2 = correct[Int.random(in: 0..<correct.count, using: &rng)]
        return SCoReSFTExample(
          problemID: id, kind: kind,
          prompt: prompts.context(problem: problem, previousAttempts: [y1.text], layout: layout),
          target: y2.text)
      }
      for y1 in attempts where !y1.isCorrect { out.append(pair(y1, .incorrectToCorrect)) }
      if includeCorrectToCorrect {
        for y1 in correct { out.append(pair(y1, .correctToCorrect)) }
      }
    }
    return out
  }
}
