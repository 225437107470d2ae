import Testing
import Training

@testable import recheck

/// The demo presets that Docs/reproduction.md's tables were measured with: anchor pick's corpus,
/// pre-training length and SCoRe branching (session 23), and pair pick's recipe left as it was.
struct DemoConfigTests {
  @Test func anchorPickPresetIsTheSession23Recipe() {
    let c = DemoConfig.preset(.standard, seed: 1, task: .anchorPick)
    #expect(c.setup.corpus.offListShare == 1)
    #expect(c.setup.corpus.rewriteDiffers)
    #expect(c.setup.pretraining.steps == 2000)
    #expect(c.scoreStageI.secondAttemptsPerFirst == 2)
    #expect(c.scoreStageII.secondAttemptsPerFirst == 2)
    #expect(c.multiTurnRL.secondAttemptsPerFirst == 2)
    #expect(c.singleTurnRL.secondAttemptsPerFirst == 1)
    // Compute-matched baseline: multi-turn RL runs both SCoRe stages' steps with the same batch.
    #expect(c.multiTurnRL.steps == c.scoreStageI.steps + c.scoreStageII.steps)
    #expect(c.multiTurnRL.problemsPerStep == c.scoreStageI.problemsPerStep)
    #expect(c.s2rBudget.maxTokens == 520)
  }

  @Test func quickAndFullKeepTheirPretrainingLength() {
    #expect(DemoConfig.preset(.quick, seed: 1, task: .anchorPick).setup.pretraining.steps == 60)
    #expect(DemoConfig.preset(.full, seed: 1, task: .anchorPick).setup.pretraining.steps == 2000)
    #expect(DemoConfig.preset(.full, seed: 1, task: .pairPick).setup.pretraining.steps == 1200)
  }

  @Test func pairPickPresetIsUnchanged() {
    let c = DemoConfig.preset(.standard, seed: 1, task: .pairPick)
    #expect(c.setup.corpus.offListShare == 1.0 / 3)
    #expect(!c.setup.corpus.rewriteDiffers)
    #expect(c.setup.pretraining.steps == 1000)
    #expect(c.scoreStageI.secondAttemptsPerFirst == 1)
    #expect(c.multiTurnRL.secondAttemptsPerFirst == 1)
  }
}
