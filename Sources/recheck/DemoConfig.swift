import Foundation
import Rollouts
import Training

/// Budgets of one `recheck demo` run, saved as config.json in the run directory; `--config FILE`
/// reads one back (edit a run's config.json and rerun: finished stages whose inputs did not change
/// are reused, see `DemoStageCache`).
struct DemoConfig: Codable {
  var seed: UInt64
  var setup: SyntheticSetup
  var scoreStageI: SCoReTrainConfig
  var scoreStageII: SCoReTrainConfig
  var multiTurnRL: SCoReTrainConfig
  /// SCoRe [P] Table 2/4 baselines: prompting (Self-Refine), SFT on corrections (Pair-SFT, STaR),
  /// and RL on one attempt.
  var selfRefine: SCoReSelfRefineConfig
  var pairSFT: SCoRePairSFTConfig
  var star: SCoReSTaRConfig
  var singleTurnRL: SCoReTrainConfig
  /// Train problems the SFT baselines sample on (a prefix of the train split; sampling dominates their
  /// cost, and a few hundred problems × k samples yield enough correction pairs).
  var baselineProblems: Int
  var s2rData: S2RBehaviourData
  var s2rSFT: SFTConfig
  var s2rORL: S2RRLConfig
  var s2rPRL: S2RRLConfig
  var s2rBudget: S2RInferenceBudget
  /// S²R's RL stages train only on problems whose stage-0 accuracy (the base's K attempts) lies in
  /// [lo, hi] (`S2RPromptFilter`); nil (every preset) trains on every train problem. Absent from
  /// config.json when nil, so earlier runs' files and stage fingerprints stay as they were.
  var s2rRLPromptAccuracy: [Double]?

  enum Preset: String, Codable { case quick, standard, full }

  static func preset(_ p: Preset, seed: UInt64, task: SyntheticFamily = .anchorPick) -> DemoConfig {
    var setup = SyntheticSetup(seed: seed, task: task, pretrainOnOtherProblems: task.isPairTask)
    if task.isPairTask {
      // Half of the corpus is two-turn transcripts whose second turn opens with a check of the first
      // (`SyntheticCorpus`), half of all attempts are wrong picks (so a check says "not same" as often
      // as "same"), and 1000 steps: at 400 steps and 30 % transcripts the base wrote a wrong T − sum
      // and "same" for 91 of 118 wrong picks (too few examples per subtraction fact); with these
      // budgets its checks accepted 91 of 91 right and rejected 98 of 109 wrong first attempts.
      setup.corpus.checkInSecondTurn = true
      setup.corpus.noise = 0.5
      setup.corpus.twoTurnFraction = 0.5
      setup.corpus.recheckFraction = 0.25
      setup.pretraining.steps = 1000
    }
    // Pair mark lists four numbers (difficulty 1; pair pick keeps five): a marked box is right only
    // when every position's keep-or-blank is, so errors compound over the list — with five numbers
    // the base solved 17–25.5 % (chance 10 %), with four 30.5–39 % (chance 17 %; seeds 1–3), and
    // S²R's retries gained +8.5 / +8.5 / +14.5 (BI's checks rejected 98–100 % of its own wrong attempts).
    if task == .pairMark { setup.pairPickDifficulty = 1...1 }
    // Anchor pick (session 23, Docs/reproduction.md): every slip is a wrong anchor (off-list), so a
    // copy of a wrong turn 1 stays wrong and the base fixes nothing by accident; a rewrite always
    // changes the answer, whatever the check said, so a rewrite after a wrong anchor is right about
    // half the time; and 2,000 steps, because at 1,000 the base's checks missed the blank of T − anchor
    // in 7–18 % of its right attempts ("not same" for a right pick), which taught SCoRe that a
    // rewrite after "not same" can break a right answer (seed 1: its Δ −3.0 / −7.5 without and with
    // rewrites that differ). At 2,000 steps the base called 1 / 8 / 19 of its 116 / 119 / 97 right first
    // attempts "not same" (seeds 1 / 2 / 3; at 1,000: 18 / 99, 7 / 101, 15 / 90).
    //
    // Session 35: 1,500 steps in the default run (2,000 with --full). On a 2-core Zen 4 VM, whose
    // products run ≈ 1.5× slower per core than the SkylakeX VM's, one seed took 18.5 min and three
    // 55.5; with the other cuts below (SCoRe 20 + 20 steps, BI 500, PRL 12) and SCoRe scoring turn 1
    // inside turn 2's row (`SequenceScorer.prefixHosts`) three seeds took 43.3 min and one 15.7, and
    // every finding held on the three OpenBLAS seeds (Docs/reproduction.md, session 35).
    if task == .anchorPick {
      setup.corpus.offListShare = 1
      setup.corpus.rewriteDiffers = true
      setup.pretraining.steps = p == .full ? 2000 : 1500
    }
    var rlSteps = 15
    var sftSteps = 300
    var s2rRLSteps = 25
    var prlSteps = 15
    var baselineProblems = 600
    var baselineSFTSteps = 80
    var rlBatch = 32  // SCoRe problems per step (× 4 samples)
    var s2rRLBatch = 12  // S²R RL prompts per step (× 4 samples)
    var sftBatch = 16
    var starIterations = 2
    switch p {
    case .quick:
      // A smoke test of every stage, not a result: sampling (S²R stage 0 draws 5 attempts per train
      // problem) and the BI SFT dominate, so both are cut hardest.
      setup.trainProblems = 300
      setup.heldOutProblems = 40
      setup.pretraining.steps = 60
      rlSteps = 2
      sftSteps = 20
      s2rRLSteps = 2
      prlSteps = 2
      baselineProblems = 30
      baselineSFTSteps = 5
      rlBatch = 4
      s2rRLBatch = 4
      sftBatch = 8
      starIterations = 1
    case .standard:
      break
    case .full:
      setup.trainProblems = 8000
      setup.heldOutProblems = 500
      setup.pretraining.steps = max(setup.pretraining.steps, 1200)
      rlSteps = 60
      sftSteps = 800
      s2rRLSteps = 100
      prlSteps = 100
      baselineProblems = 2000
      baselineSFTSteps = 200
      starIterations = 3
    }
    // SCoRe on arithmetic: a sweep on seed 1 (Docs/reproduction.md, "SCoRe settings") over learning rate
    // (2e-4 … 5e-5), sampling temperature (1, 0.7), β2 (0.1, 1), steps and problems per step. With
    // this base, lr ≥ 1e-4 collapses Acc@t1 (42.5 → 20–31) and most settings give Δ ≤ 0; lr 5e-5
    // with 32 problems per step (× 4 samples) is the one that keeps Acc@t1 at the base's level
    // and gives Δ > 0 with Δ^{c→i} < Δ^{i→c}: a larger batch lowers the variance of the RLOO
    // advantages, which at 16 problems per step drowned the small turn-2 signal. The baselines
    // that share this trainer (multi-turn RL, single-turn RL) use the same budget, so the
    // comparison stays compute-matched.
    // Pair pick (seed 1, Docs/reproduction.md): lr 5e-5 and 2e-4 at T = 1 for 15 + 15 steps left Δ at
    // 0.0 (turn 2 still copied 83 of 88 turn-1 answers its own check had called wrong), lr 5e-4 at
    // T = 0.7 collapsed (turn-1 KL 5.6, Acc@t1 48 → 33); lr 2e-4 at T = 0.7 for 25 + 25 steps gave
    // Δ +3.5 (Δ^{i→c} 4.0, Δ^{c→i} 0.5) with Acc@t1 at the base's level. At T = 0.7 the sampled
    // turns are closer to the greedy ones that are evaluated (the base's sampled turn 1 is right
    // a third of the time at T = 1, half at greedy).
    // Pair mark's attempts restate the list (≈ 30 characters, pair pick's ≈ 15), so a four-attempt
    // S²R trajectory is 610–660 characters: its inference budget and SFT length grow to fit. At 660
    // outcome RL ran into the budget (seed 1: attempts 2.77 → 1.27, final 46.5 → 35.5); at 720 not.
    // Index pick's check writes two look-ups more (≈ 47 characters, pair pick's ≈ 38): 10 % more room.
    // Anchor pick's check copies the list with the pick blanked (≈ 50 characters, pair pick's ≈ 38),
    // so an attempt with its check and verdict is ≈ 165 characters: at 400 the third check was cut
    // (seed 1, blanked check: 44 of 200 held-out trajectories hit the budget, every one with three
    // wrong attempts) and an SFT length of 600 cut the final, right attempt of 508 of 2,816
    // trajectories; 520 fits three attempts and 760 all but 2.4 % of the trajectories. The budget is
    // 760, not 520: at 520 every trajectory that reached its fourth attempt was cut inside that
    // attempt's check, and a cut check takes the positional default verdict "correct" (spec s2r.md
    // §4.3) — so VA counted 45–81 verdicts the model never wrote (SkylakeX seed 1: right at k = 4 in
    // 0.18 of BI's, the share of right fourth attempts), and RL punished every fourth attempt as
    // truncated (−1). Same BI model, 520 → 760: BI VA 0.718 → 0.758 (finals unchanged, 0.600 → 0.660),
    // ORL final 0.670 → 0.690, PRL VA 0.702 → 0.819 (Docs/reproduction.md, session 25).
    let s2rLength: Int
    switch task {
    case .pairMark: s2rLength = 720
    case .indexPick: s2rLength = 440
    case .anchorPick: s2rLength = 760
    case .pairPick, .arithmetic: s2rLength = 400
    }
    // Behaviour initialisation on pair mark (seed 1): 300 SFT steps left its retries broken copies of
    // the list and its checks rejecting 0.79 of its own wrong attempts; 600 gave 0.89. On pair pick
    // (seeds 1–3, Docs/reproduction.md) 300 steps left BI's final below its first attempt on seed 3
    // and ORL below BI on seed 1; 600 made both hold on every seed (rejection of the base's wrong
    // attempts 0.91 / 0.77 / 0.76 instead of 0.91 / 0.34 / 0.49).
    if task.isPairTask && p == .standard { sftSteps = task == .anchorPick ? 500 : 600 }
    // Anchor pick, session 32 (Docs/reproduction.md; six runs: seeds 1–3 on OpenBLAS and on the
    // portable kernel, same bases). BI at lr 1e-3 had not learned the late checks: given the prefixes
    // of 40 stage-0 trajectories, four BI models wrote the program's check exactly in 131 / 160 first,
    // 68 / 160 second and 10 / 160 third checks; the same 600 steps at lr 2e-3 (same compute) write
    // 144 / 116 / 92, and BI's final rose from 71.0 / 72.0 / 76.5, 85.0 / 78.0 / 71.0 to 84.5 / 83.5 /
    // 80.5, 86.5 / 85.0 / 72.0. Outcome RL with 12 prompts × 4 samples for 25 steps then fell below
    // the stronger BI on two runs; the same rollouts as 48 prompts × 4 for 6 steps (each advantage
    // from a 4× larger batch, fewer and less noisy updates) keep ORL's final at or above BI's on all
    // six. Session 33: process RL with 12 prompts × 4 for 15 steps moved verification by about +1
    // point ± 2 per run (five of six runs at or above BI; six other settings — more steps, lr 4e-5,
    // T 0.7 / 1.0, the paper code's changed-correctness bonus, 48 × 4 for 6 steps — three to five);
    // 48 prompts × 4 for the same 15 steps (4× the rollouts, each per-action baseline and update from a
    // 4× larger batch) holds on all six, on the 200 held-out problems and on 1,000 fresh ones.
    //
    // Session 37: PRL at lr 5e-5 (it had ORL's 2e-5). At 2e-5 its 12 steps moved verification by
    // −1.2…+3.6 points (portable seed 1: 86.5 → 85.3, its third and later checks rejecting 39 % of
    // wrong attempts before and after), a coin flip on runs whose BI misses the late checks; at 5e-5,
    // same rollouts and cost, the six runs (seeds 1–3, OpenBLAS and portable, same BI models) gain
    // +1.1…+7.4 (portable seed 1: 93.9, late rejections 59 %) and PRL's final rises above ORL's; on
    // 1,000 fresh problems five of the six gain (portable seed 2 −0.5; at 2e-5 three of six).
    // ORL keeps 2e-5: its 6 steps already end at or above BI on all six.
    var s2rSFTLearningRate = 1e-3
    var prlLearningRate: Double?  // nil: PRL keeps ORL's rate (it copies ORL's config)
    if task == .anchorPick && p == .standard {
      s2rSFTLearningRate = 2e-3
      s2rRLBatch = 48  // ORL and PRL (PRL copies ORL's config)
      s2rRLSteps = 6
      prlSteps = 12  // session 35's time cut (above)
      prlLearningRate = 5e-5
    }
    var scoreLR = 5e-5
    var scoreTemperature = 1.0
    if task.isPairTask {
      scoreLR = 2e-4
      scoreTemperature = 0.7
      if p == .standard { rlSteps = task == .anchorPick ? 20 : 25 }  // anchor pick: session 35's cut
    }
    // Stage I on the pair tasks credits the second attempt with r2 − r1 (`stageIRelativeReturn`, same
    // expected gradient as Eq. 3): on pair pick seeds 1–3, same bases, SCoRe's Δ went from +3.5 / +2.5
    // / +7.5 (mean +4.5, below multi-turn RL's +5.0) to +8.0 / +7.5 / +3.5 (mean +6.3); on pair mark
    // seeds 1–2 from −1.5 / +2.0 to −0.5 / −1.0 (Docs/reproduction.md). The arithmetic control keeps
    // its measured recipe.
    var stageI = SCoReTrainConfig(
      stage: .stageI(subStage: 1), steps: rlSteps, problemsPerStep: rlBatch, learningRate: scoreLR,
      temperature: scoreTemperature, seed: seed &+ 10)
    stageI.stageIRelativeReturn = task.isPairTask
    // Anchor pick's base rewrites half of its second turns whatever its check said (a rewrite always
    // changes the answer), so with one second attempt per first the turn-2 baseline mixes first
    // attempts: a copied right y1 scores as much as a correction, and what RL must learn — copy after
    // "same", rewrite after "not same" — drowns in which y1 was right. Two second attempts per first
    // (spec score.md §2.7's family baseline, `secondAttemptsPerFirst`) compare the two continuations
    // of one y1. Session 23, same bases (Docs/reproduction.md): SCoRe's Δ on seeds 2 / 3 went from
    // +0.0 / −2.0 to +9.5 / +6.5. Multi-turn RL inherits it (same trainer, same episodes per step);
    // single-turn RL has no second turn. Pair pick keeps its measured recipe.
    if task == .anchorPick { stageI.secondAttemptsPerFirst = 2 }
    var stageII = stageI
    stageII.stageIRelativeReturn = false  // a Stage-I setting: off keeps the later stages' fingerprints
    stageII.stage = .stageII
    stageII.seed = seed &+ 11
    var multi = stageII
    multi.coefficients.alpha = 0
    multi.steps = 2 * rlSteps
    multi.seed = seed &+ 12
    var single = stageII
    single.turns = 1
    single.secondAttemptsPerFirst = 1  // no second turn to branch
    single.steps = 2 * rlSteps
    single.seed = seed &+ 13
    let baselineSFT = SFTConfig(
      steps: baselineSFTSteps, batchSize: sftBatch, learningRate: 3e-4, warmupSteps: 5, maxLength: 600,
      seed: seed &+ 14)
    // RL samples at T = 0.4, not the paper's 0.7: at 0.7 the 0.8 M-parameter BI model's retries
    // *lower* its accuracy (sampled first 0.31 → final 0.20, verification 0.47) while greedy
    // retries raise it (0.33 → 0.40), so outcome RL at 0.7 learned to stop retrying (attempts
    // 1.94 → 1.3 in 8 steps). Closer to greedy, the rollouts show the behaviour being evaluated.
    let orl = S2RRLConfig(
      level: .outcome, steps: s2rRLSteps, problemsPerStep: s2rRLBatch, temperature: 0.4,
      maxNewTokens: s2rLength,
      learningRate: 2e-5,
      klCoefficient: 0.01, seed: seed &+ 20)
    var prl = orl
    prl.level = .process
    prl.klCoefficient = 0.05
    // Process-level steps cost ≈ 1.7× outcome-level ones (per-action scoring); 15 keeps the default
    // run within 15 minutes.
    prl.steps = prlSteps
    if let prlLearningRate { prl.learningRate = prlLearningRate }
    prl.seed = seed &+ 21
    return DemoConfig(
      seed: seed, setup: setup, scoreStageI: stageI, scoreStageII: stageII, multiTurnRL: multi,
      selfRefine: SCoReSelfRefineConfig(maxNewTokens: stageI.maxNewTokens, seed: seed &+ 15),
      pairSFT: SCoRePairSFTConfig(
        samplesPerProblem: 4, maxNewTokens: stageI.maxNewTokens, sft: baselineSFT, seed: seed &+ 16),
      star: SCoReSTaRConfig(
        iterations: starIterations, samplesPerProblem: 2, maxNewTokens: stageI.maxNewTokens, sft: baselineSFT,
        seed: seed &+ 17),
      singleTurnRL: single, baselineProblems: baselineProblems,
      // Pair tasks' bases go on past a solution into a check (`recheckFraction`); stage 0 cuts it off.
      s2rData: S2RBehaviourData(
        seed: seed &+ 30, singleAttemptFraction: 0.5, cutAtCheckMarker: task.isPairTask ? true : nil),
      s2rSFT: SFTConfig(
        steps: sftSteps, batchSize: sftBatch, learningRate: s2rSFTLearningRate, warmupSteps: 10,
        maxLength: task == .pairMark || task == .anchorPick ? 760 : task == .indexPick ? 660 : 600,
        seed: seed &+ 31),
      s2rORL: orl, s2rPRL: prl, s2rBudget: S2RInferenceBudget(maxAttempts: 4, maxTokens: s2rLength))
  }
}
