import Models
import Rollouts

/// Settings of a SCoRe run (spec §2.3–2.4, §1.5): `rl` holds everything shared by the stages
/// (learning rate, k, batch, β1, β2, α, temperature, attempts `rl.turns` = N ≥ 2, seed); the runner
/// sets `stage` and `steps` per phase.
public struct SCoReMethodConfig: Codable, Sendable, Equatable {
  public var rl: SCoReTrainConfig
  /// Steps of every Stage-I sub-stage (N − 1 of them).
  public var stageISteps: Int
  public var stageIISteps: Int

  public init(rl: SCoReTrainConfig = SCoReTrainConfig(), stageISteps: Int = 25, stageIISteps: Int = 25) {
    self.rl = rl
    self.stageISteps = stageISteps
    self.stageIISteps = stageIISteps
  }
}

/// One RL phase as run: its name and the exact trainer config.
public struct SCoReRLPhase: Sendable, Codable, Equatable {
  public var name: String
  public var config: SCoReTrainConfig
}

/// A trained RL method: the final policy, the phases run, and the logged records.
public struct SCoReRLResult {
  public var model: Transformer
  public var phases: [SCoReRLPhase]
  public var records: [SCoReRunRecord]
}

/// SCoRe and its RL ablations ([P] Table 4) as runners over a base model. Each copies the base
/// (the base itself stays the frozen π_ref) and trains the copy on-policy with `SCoReTrainer`.
public enum SCoReRLMethods {
  /// SCoRe: for N = `rl.turns` attempts, Stage-I sub-stages s = 1…N−1 (`stageISteps` each;
  /// sub-stage s rewards attempt s+1 and pins attempts 1…s to the base model for s = 1 and to the
  /// previous sub-stage's final model afterwards, §1.5), then Stage II (`stageIISteps`, shaping α
  /// from `rl.coefficients`, every attempt rewarded, β1 KL to the base model). N = 2 is the paper's
  /// main recipe: one Stage-I run, then one Stage-II run.
  public static func score(
    base: Transformer, inputs: SCoReRunInputs, config: SCoReMethodConfig,
    onRecord: @escaping (SCoReRunRecord) throws -> Void = { _ in }
  ) async throws -> SCoReRLResult {
    let n = config.rl.turns
    guard n >= 2 else { throw SCoReTrainingError.invalidStage("SCoRe needs ≥ 2 attempts, got \(n)") }
    var plan: [(String, SCoReTrainConfig)] = []
    for s in 1..<n {
      var c = config.rl
      c.stage = .stageI(subStage: s)
      c.turns = s + 1  // later attempts carry no term in sub-stage s
      c.steps = config.stageISteps
      plan.append((n == 2 ? "stageI" : "stageI-\(s)", c))
    }
    var c2 = config.rl
    c2.stage = .stageII
    c2.steps = config.stageIISteps
    plan.append(("stageII", c2))
    return try await run(base: base, inputs: inputs, plan: plan, onRecord: onRecord)
  }

  /// Table 4 "w/o multi-turn training": Stage-II rewards with one attempt (r̂(y1) − β1·KL), from
  /// the base model; evaluate it with two attempts afterwards.
  public static func singleTurn(
    base: Transformer, inputs: SCoReRunInputs, config: SCoReTrainConfig,
    onRecord: @escaping (SCoReRunRecord) throws -> Void = { _ in }
  ) async throws -> SCoReRLResult {
    var c = config
    c.stage = .stageII
    c.turns = 1
    return try await run(base: base, inputs: inputs, plan: [("single-turn-rl", c)], onRecord: onRecord)
  }

  /// The collapse ablation (spec §2.2; Table 4 "w/o Stage I" and "w/o reward shaping" together):
  /// plain multi-turn RL on Σ_t r̂(y_t) − β1·KL_t, i.e. Stage II with α = 0, from the base model.
  public static func multiTurnWithoutStageI(
    base: Transformer, inputs: SCoReRunInputs, config: SCoReTrainConfig,
    onRecord: @escaping (SCoReRunRecord) throws -> Void = { _ in }
  ) async throws -> SCoReRLResult {
    var c = config
    c.stage = .stageII
    c.coefficients.alpha = 0
    c.turns = max(c.turns, 2)
    return try await run(base: base, inputs: inputs, plan: [("multi-turn-rl", c)], onRecord: onRecord)
  }

  /// Runs `plan` in order on one copy of `base`; phase `stageI-s` with s ≥ 2 uses a frozen copy of
  /// the policy at its start as the reference, every other phase the base model.
  static func run(
    base: Transformer, inputs: SCoReRunInputs, plan: [(String, SCoReTrainConfig)],
    onRecord: @escaping (SCoReRunRecord) throws -> Void
  ) async throws -> SCoReRLResult {
    let recorder = SCoReRecorder(onRecord)
    let policy = SCoReModelCopy.copy(base)
    var phases: [SCoReRLPhase] = []
    for (name, config) in plan {
      var reference = base
      if case .stageI(let s) = config.stage, s >= 2 { reference = SCoReModelCopy.copy(policy) }
      let trainer = SCoReTrainer(
        policy: policy, reference: reference, tokenizer: inputs.tokenizer, prompts: inputs.prompts,
        problems: inputs.problems, checker: inputs.checker, config: config, layout: inputs.layout,
        template: inputs.template)
      try await trainer.train(onStep: { r in try recorder.log(name, step: r.step, r.values) })
      phases.append(SCoReRLPhase(name: name, config: config))
    }
    return SCoReRLResult(model: policy, phases: phases, records: recorder.records)
  }
}
