import Datasets
import Foundation
import Generation
import Rollouts
import TensorCore
import Tokenizers

/// One problem of an offline-RL data file (spec §5.1; `recheck s2r sample` writes them): the
/// prompt, the gold answer, K sampled self-verifying responses and whether each one's final answer
/// was right (the accuracy filter's input).
public struct S2ROfflineRecord: Codable, Sendable, Equatable {
  /// How an attempt's boxed answer is compared with `answer`.
  public enum Check: String, Codable, Sendable {
    /// The same string after trimming spaces (synthetic integer answers).
    case exact
    /// `MathGrader` equivalence (`S2RRewards.mathChecker`; benchmark problems).
    case math
  }

  public var id: String
  public var prompt: String
  public var answer: String
  public var responses: [String]
  public var scores: [Bool]
  /// Absent (nil) in synthetic files, which means `.exact`; so their lines stay as they were.
  public var check: Check?

  public init(
    id: String, prompt: String, answer: String, responses: [String], scores: [Bool], check: Check? = nil
  ) {
    self.id = id
    self.prompt = prompt
    self.answer = answer
    self.responses = responses
    self.scores = scores
    self.check = check
  }

  /// Mean of `scores` (0 when there are none).
  public var accuracy: Double { scores.isEmpty ? 0 : Double(scores.count { $0 }) / Double(scores.count) }

  /// The checker of an attempt's boxed answer against `answer`.
  public var isCorrect: @Sendable (String) -> Bool {
    let gold = answer
    switch check ?? .exact {
    case .exact: return { $0.trimmingCharacters(in: .whitespaces) == gold }
    case .math: return S2RRewards.mathChecker(reference: gold)
    }
  }
}

/// How offline data is selected and rewarded (spec §5.2–5.3; defaults: paper Table 11/12).
public struct S2ROfflineDataOptions: Codable, Sendable, Equatable {
  public var accuracyBand: ClosedRange<Double>
  public var maxActions: Int
  public var balanceNegatives: Bool
  public var baselineKey: S2RDatasetBaseline.Key
  public var baselineMinCount: Int
  /// ×2 reward bonuses of online PRL (on in the official offline script).
  public var bonuses: Bool

  public init(
    accuracyBand: ClosedRange<Double> = 0.1...0.7, maxActions: Int = 10, balanceNegatives: Bool = true,
    baselineKey: S2RDatasetBaseline.Key = .accuracyPosition, baselineMinCount: Int = 10, bonuses: Bool = true
  ) {
    self.accuracyBand = accuracyBand
    self.maxActions = maxActions
    self.balanceNegatives = balanceNegatives
    self.baselineKey = baselineKey
    self.baselineMinCount = baselineMinCount
    self.bonuses = bonuses
  }
}

/// One kept trajectory, ready for the loss: ids, parsed actions, per-action baselined rewards.
public struct S2ROfflineSample: Sendable, Equatable {
  public var id: String
  public var promptIDs: [Int]
  /// Response ids (cut after the first confirmed right attempt for positives) plus the stop id.
  public var responseIDs: [Int]
  public var parsed: S2RParsedResponse
  /// Raw correctness of the last attempt, ±1 (the outcome loss's reward).
  public var outcomeReward: Double
  /// Per action of `parsed.actions`: raw reward minus the dataset baseline (markers 0).
  public var actionRewards: [Double]
  public var positive: Bool
}

/// Offline-RL data selection (spec §5.2): accuracy band → score each response with the online
/// parser and rules → cut positives after the first `R+V+` → reject malformed strings → balance
/// negatives → dataset-wide baselines (§5.3) over the kept actions.
public enum S2ROfflineData {
  /// What `prepare` kept and dropped.
  public struct Stats: Sendable, Equatable, Codable {
    public var problems = 0
    public var problemsInBand = 0
    public var responses = 0
    public var rejected = 0
    public var positives = 0
    public var negatives = 0
    public var negativesDropped = 0
  }

  /// `layout` (default `.plain`: plain prompts, EOS, token-level markers) encodes the prompts,
  /// closes each response with its `endID` and cuts it with its parse — the same as online RL.
  public static func prepare(
    _ records: [S2ROfflineRecord], tokenizer: any Tokenizer, options: S2ROfflineDataOptions = .init(),
    seed: UInt64 = 0, layout: S2RResponseLayout? = nil
  ) -> (samples: [S2ROfflineSample], stats: Stats) {
    let layout = layout ?? .plain(tokenizer)
    guard let eos = layout.endID else { preconditionFailure("offline RL needs a stop id (EOS)") }
    let parser = layout.parser(tokenizer)
    var stats = Stats()
    var positives: [(S2ROfflineRecord, [Int], S2RRollout)] = []
    var negatives: [(S2ROfflineRecord, [Int], S2RRollout)] = []
    for record in records {
      stats.problems += 1
      guard S2ROfflineFilter.inAccuracyBand(record.accuracy, band: options.accuracyBand) else { continue }
      stats.problemsInBand += 1
      let prompt = layout.encodePrompt(record.prompt, tokenizer: tokenizer)
      let isCorrect = record.isCorrect
      for response in record.responses {
        stats.responses += 1
        var rollout = layout.rollout(tokenizer.encode(response) + [eos], parser: parser, tokenizer: tokenizer)
        var string = S2ROfflineFilter.rewardString(S2RRewards.score(rollout, isCorrect: isCorrect))
        let keep = S2ROfflineFilter.keptActions(string)
        if let keep {
          let end = S2ROfflineFilter.tokenEnd(rollout.parsed, contentActions: keep)
          rollout = layout.rollout(Array(rollout.ids[..<end]) + [eos], parser: parser, tokenizer: tokenizer)
          string = S2ROfflineFilter.rewardString(S2RRewards.score(rollout, isCorrect: isCorrect))
        }
        guard S2ROfflineFilter.isWellFormed(string, maxActions: options.maxActions) else {
          stats.rejected += 1
          continue
        }
        if keep != nil {
          positives.append((record, prompt, rollout))
        } else {
          negatives.append((record, prompt, rollout))
        }
      }
    }
    var rng = SeededRNG(seed: seed &+ 0x0FF1)
    let keptNegatives =
      options.balanceNegatives
      ? S2ROfflineFilter.balancedNegatives(positives: positives.count, negatives: negatives, using: &rng)
      : negatives
    stats.positives = positives.count
    stats.negatives = keptNegatives.count
    stats.negativesDropped = negatives.count - keptNegatives.count

    // Dataset-wide baselines over every kept action, then each action's baselined reward.
    let kept = (positives + keptNegatives).map { record, prompt, rollout in
      let scored = S2RRewards.score(rollout, isCorrect: record.isCorrect)
      return (record, prompt, rollout, scored, entries(scored, accuracy: record.accuracy))
    }
    let baseline = S2RDatasetBaseline(
      entries: kept.flatMap { $0.4 }, key: options.baselineKey, minCount: options.baselineMinCount)
    let samples = kept.map { record, prompt, rollout, scored, entries in
      S2ROfflineSample(
        id: record.id, promptIDs: prompt, responseIDs: rollout.ids, parsed: rollout.parsed,
        outcomeReward: scored.outcomeReward(),
        actionRewards: actionRewards(scored, entries: entries, baseline: baseline, bonuses: options.bonuses),
        positive: S2ROfflineFilter.keptActions(S2ROfflineFilter.rewardString(scored)) != nil)
    }
    return (samples, stats)
  }

  /// One reward per action (markers 0): raw reward minus the dataset baseline of the action's
  /// entry; with `bonuses` (spec §5.3, as online), ×2 on an attempt whose correctness differs from
  /// the previous attempt's and ×2 on a verification of a correct attempt.
  ///
  /// Example (baselines 0): R-V+R+V+ → −1, 1, 1, 1; with bonuses → −1, 1, 2 (flip), 2 (verifies a
  /// right attempt).
  public static func actionRewards(
    _ scored: S2RScoredRollout, entries: [S2RDatasetBaseline.Entry], baseline: S2RDatasetBaseline,
    bonuses: Bool
  ) -> [Double] {
    var rewards = [Double](repeating: 0, count: scored.actions.count)
    var content = 0
    var previousAttempt: Bool?
    for (i, a) in scored.actions.enumerated() where a.action.kind != .marker {
      var r = a.reward - baseline.baseline(for: entries[content])
      content += 1
      let attemptRight = a.attemptCorrect ?? false
      if a.action.kind == .solve {
        if bonuses, let previous = previousAttempt, previous != attemptRight { r *= 2 }
        previousAttempt = attemptRight
      } else if bonuses && attemptRight {
        r *= 2
      }
      rewards[i] = r
    }
    return rewards
  }

  /// Baseline entries of a scored rollout's content actions: 1-based position, reward context, raw
  /// reward, and the problem's accuracy.
  public static func entries(_ scored: S2RScoredRollout, accuracy: Double) -> [S2RDatasetBaseline.Entry] {
    S2RRewardContextBaseline.entries(scored).enumerated().map { i, e in
      S2RDatasetBaseline.Entry(accuracy: accuracy, position: i + 1, context: e.context, reward: e.reward)
    }
  }

  /// Spec §5.1 on synthetic problems (`S2RRLProblem.synthetic`; see the general `sample`).
  public static func sample(
    model: any LanguageModel, problems: [SyntheticProblem], first: Int = 0, samplesPerProblem: Int,
    params: SamplingParams, seed: UInt64
  ) async throws -> [S2ROfflineRecord] {
    try await sample(
      model: model, problems: problems.map(S2RRLProblem.synthetic), first: first,
      samplesPerProblem: samplesPerProblem, params: params, seed: seed)
  }
}
