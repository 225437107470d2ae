/// Settings of one SCoRe RL run (spec §2.3–2.8). `stage` picks the objective; the ablations of
/// Table 4 are settings too: multi-turn RL without Stage I and without shaping is `.stageII` with
/// `alpha = 0` started from the base model, and single-turn RL is `turns = 1`.
public struct SCoReTrainConfig: Codable, Sendable, Equatable {
  public var stage: SCoReStage
  public var turns: Int
  public var steps: Int
  public var problemsPerStep: Int
  public var samplesPerProblem: Int
  /// m second attempts per first attempt (`SCoReRolloutConfig.secondAttemptsPerFirst`; 1 = one
  /// episode per first attempt, the paper's rollout). With m > 1 a step rolls out k·m episodes per
  /// problem and turn-2 baselines are taken among the m attempts that share y1 (`SCoReTokenWeights`).
  public var secondAttemptsPerFirst: Int
  /// Stage I only: the rewarded attempt's return is taken relative to the attempt before it,
  /// r_{s+1} − r_s − β1·KL, before the leave-one-out baseline (`SCoReRewards.turnTerms`). In Stage I
  /// the earlier attempts carry no policy-gradient term and r_s is fixed by the rewarded attempt's
  /// context, so the gradient's expectation is Eq. 3's; only its variance changes. Why ours: with one
  /// second attempt per first attempt the plain turn-2 return mostly says whether y1 was right (a copy
  /// of a right y1 scores 1, anything after a wrong one mostly 0), so Stage I pushed down every second
  /// turn that followed a wrong first attempt — its check and re-pick included — and the turn-2 KL
  /// grew while the turn-2 reward did not (Docs/reproduction.md). Relative to r_s a kept answer
  /// scores 0, a fix +1 and a break −1: the credit goes to what the second attempt changed.
  public var stageIRelativeReturn: Bool
  public var learningRate: Double
  public var warmupSteps: Int
  public var maxGradNorm: Double
  public var coefficients: SCoReCoefficients
  public var adaptiveBeta2: Bool
  public var temperature: Double
  public var maxNewTokens: Int
  public var seed: UInt64

  public init(
    stage: SCoReStage = .stageI(subStage: 1), turns: Int = 2, steps: Int = 50, problemsPerStep: Int = 16,
    samplesPerProblem: Int = 4, secondAttemptsPerFirst: Int = 1, stageIRelativeReturn: Bool = false,
    learningRate: Double = 1e-4,
    warmupSteps: Int = 2, maxGradNorm: Double = 1, coefficients: SCoReCoefficients = .math,
    adaptiveBeta2: Bool = false, temperature: Double = 1, maxNewTokens: Int = 96, seed: UInt64 = 0
  ) {
    self.stage = stage
    self.turns = turns
    self.steps = steps
    self.problemsPerStep = problemsPerStep
    self.samplesPerProblem = samplesPerProblem
    self.secondAttemptsPerFirst = secondAttemptsPerFirst
    self.stageIRelativeReturn = stageIRelativeReturn
    self.learningRate = learningRate
    self.warmupSteps = warmupSteps
    self.maxGradNorm = maxGradNorm
    self.coefficients = coefficients
    self.adaptiveBeta2 = adaptiveBeta2
    self.temperature = temperature
    self.maxNewTokens = maxNewTokens
    self.seed = seed
  }

  enum CodingKeys: String, CodingKey {
    case stage, turns, steps, problemsPerStep, samplesPerProblem, secondAttemptsPerFirst, stageIRelativeReturn
    case learningRate
    case warmupSteps, maxGradNorm, coefficients, adaptiveBeta2, temperature, maxNewTokens, seed
  }

  /// `secondAttemptsPerFirst` and `stageIRelativeReturn` may be absent (configs written before they
  /// existed mean 1 and false).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    stage = try c.decode(SCoReStage.self, forKey: .stage)
    turns = try c.decode(Int.self, forKey: .turns)
    steps = try c.decode(Int.self, forKey: .steps)
    problemsPerStep = try c.decode(Int.self, forKey: .problemsPerStep)
    samplesPerProblem = try c.decode(Int.self, forKey: .samplesPerProblem)
    secondAttemptsPerFirst = try c.decodeIfPresent(Int.self, forKey: .secondAttemptsPerFirst) ?? 1
    stageIRelativeReturn = try c.decodeIfPresent(Bool.self, forKey: .stageIRelativeReturn) ?? false
    learningRate = try c.decode(Double.self, forKey: .learningRate)
    warmupSteps = try c.decode(Int.self, forKey: .warmupSteps)
    maxGradNorm = try c.decode(Double.self, forKey: .maxGradNorm)
    coefficients = try c.decode(SCoReCoefficients.self, forKey: .coefficients)
    adaptiveBeta2 = try c.decode(Bool.self, forKey: .adaptiveBeta2)
    temperature = try c.decode(Double.self, forKey: .temperature)
    maxNewTokens = try c.decode(Int.self, forKey: .maxNewTokens)
    seed = try c.decode(UInt64.self, forKey: .seed)
  }

  /// Omits `secondAttemptsPerFirst` when it is 1 and `stageIRelativeReturn` when false, so a config
  /// without them encodes (and fingerprints, `DemoStageCache`) exactly as before the fields existed.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(stage, forKey: .stage)
    try c.encode(turns, forKey: .turns)
    try c.encode(steps, forKey: .steps)
    try c.encode(problemsPerStep, forKey: .problemsPerStep)
    try c.encode(samplesPerProblem, forKey: .samplesPerProblem)
    if secondAttemptsPerFirst != 1 { try c.encode(secondAttemptsPerFirst, forKey: .secondAttemptsPerFirst) }
    if stageIRelativeReturn { try c.encode(stageIRelativeReturn, forKey: .stageIRelativeReturn) }
    try c.encode(learningRate, forKey: .learningRate)
    try c.encode(warmupSteps, forKey: .warmupSteps)
    try c.encode(maxGradNorm, forKey: .maxGradNorm)
    try c.encode(coefficients, forKey: .coefficients)
    try c.encode(adaptiveBeta2, forKey: .adaptiveBeta2)
    try c.encode(temperature, forKey: .temperature)
    try c.encode(maxNewTokens, forKey: .maxNewTokens)
    try c.encode(seed, forKey: .seed)
  }
}
