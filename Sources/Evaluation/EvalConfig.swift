import Generation
import Rollouts

/// Which evaluation protocol a run uses.
///
/// - `single`: one attempt per problem (Pass@1).
/// - `score`: SCoRe's intrinsic self-correction, `turns` attempts where attempt t sees
///   `x ⊕ y1 ⊕ p ⊕ … ⊕ y_{t−1} ⊕ p` (score.md §1.2, §1.5); the instruction p never reveals correctness.
/// - `s2r`: one self-verifying response, cut by S²R's stopping rule (s2r.md §1, §6.1) with an
///   attempts budget; the token budget is the sampling `maxNewTokens`.
public enum EvalProtocol: Codable, Sendable, Equatable {
  case single
  case score(turns: Int)
  case s2r(maxAttempts: Int)

  /// "single", "score", "s2r".
  public var name: String {
    switch self {
    case .single: return "single"
    case .score: return "score"
    case .s2r: return "s2r"
    }
  }
}

/// Which marker strings cut an S²R response into attempts and verifications (s2r.md §1, §4.2):
/// the full SFT strings our data is built with, or the shorter RL cut markers.
public enum EvalS2RMarkerStyle: String, Codable, Sendable, CaseIterable {
  case sft, rl

  /// (check, retry) marker texts.
  public var texts: (check: String, retry: String) {
    switch self {
    case .sft: return (S2RMarkers.sftCheck, S2RMarkers.sftRetry)
    case .rl: return (S2RMarkers.rlCheck, S2RMarkers.rlRetry)
    }
  }
}

/// Everything that determines an evaluation run's results (written to the run's `config.json`; a
/// resumed run must have the same one). Greedy decoding by default, as every reported number in both
/// papers (score.md §1.6, s2r.md §6.1).
public struct EvalConfig: Codable, Sendable, Equatable {
  /// The data file (any format `DatasetLoader` reads).
  public var dataset: String
  /// Evaluate only the first `limit` problems of the file (nil: all).
  public var limit: Int?
  public var evalProtocol: EvalProtocol
  /// Temperature, top-p, `maxNewTokens` per attempt (s2r: per whole response).
  public var params: SamplingParams
  /// Seed of every request; each request's seed is derived from it, the problem id and the turn, so
  /// a resumed run samples exactly what an uninterrupted one would.
  public var seed: UInt64
  /// Chat conversation or plain-text prompts (base models, synthetic character models).
  public var layout: SCoRePromptLayout
  /// Problems whose requests go to the backend in one `complete` call (the backend batches them).
  public var batchSize: Int
  public var s2rMarkers: EvalS2RMarkerStyle
  /// Bootstrap resamples and confidence of the summary's intervals; the bootstrap generator is
  /// seeded with `seed`.
  public var bootstrapResamples: Int
  public var confidence: Double
  /// A name for the model/backend in summaries (e.g. the checkpoint's directory name).
  public var modelName: String

  public init(
    dataset: String, limit: Int? = nil, evalProtocol: EvalProtocol = .single,
    params: SamplingParams = .greedy(maxNewTokens: 512), seed: UInt64 = 0, layout: SCoRePromptLayout = .chat,
    batchSize: Int = 8, s2rMarkers: EvalS2RMarkerStyle = .sft, bootstrapResamples: Int = 1000,
    confidence: Double = 0.95, modelName: String = "model"
  ) {
    self.dataset = dataset
    self.limit = limit
    self.evalProtocol = evalProtocol
    self.params = params
    self.seed = seed
    self.layout = layout
    self.batchSize = batchSize
    self.s2rMarkers = s2rMarkers
    self.bootstrapResamples = bootstrapResamples
    self.confidence = confidence
    self.modelName = modelName
  }

  /// Attempt columns of the summary: t1…tN for SCoRe, t1 and final for S²R.
  public var turns: Int {
    switch evalProtocol {
    case .single: return 1
    case .score(let n): return n
    case .s2r: return 2
    }
  }
}
