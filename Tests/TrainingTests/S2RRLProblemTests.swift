import Datasets
import Foundation
import Generation
import Models
import Rollouts
import TensorCore
import TestSupport
import Tokenizers
import Training
import XCTest

/// `S2RRLProblem`: the two sources' prompts and checkers, and S²R online RL on MATH-style problems
/// with a tiny chat-template BPE model (the layout real checkpoints use).
final class S2RRLProblemTests: XCTestCase {
  static let template = ChatTemplate.chatML(defaultSystemPrompt: nil)

  /// The shared tiny chat BPE whose `"\n\nWait"` is one token (`TestFixtures`).
  static func tokenizer() throws -> BPETokenizer { try TestFixtures.chatBPEWithMergedWait() }

  static func model(seed: UInt64) -> Transformer {
    var rng = SeededRNG(seed: seed)
    return Transformer(
      config: ModelConfig(
        vocabSize: 260, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1, numAttentionHeads: 2,
        numKeyValueHeads: 1, maxPositionEmbeddings: 256),
      rng: &rng)
  }

  static let problems = [
    S2RRLProblem.math(id: "m1", problem: "Half of 1?", gold: "\\frac{1}{2}", template: template),
    S2RRLProblem.math(id: "m2", problem: "2+2?", gold: "4", template: template),
  ]

  func testMathProblemIsTheChatPromptGradedByMathGrader() {
    let p = Self.problems[0]
    XCTAssertEqual(
      p.text,
      "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n"
        + "<|im_start|>user\nHalf of 1?<|im_end|>\n<|im_start|>assistant\n")
    XCTAssertEqual(
      p.request, .chat([.system(S2RDataBuilder.systemPrompt), .user("Half of 1?")]))
    XCTAssertEqual(p.check, .math)
    XCTAssertTrue(p.isCorrect("0.5"))
    XCTAssertFalse(p.isCorrect("2"))
    XCTAssertTrue(p.responseIsCorrect("so it is \\boxed{0.5}"))
    XCTAssertFalse(p.responseIsCorrect("so it is \\boxed{1}"))
    XCTAssertEqual(p.task.prompt, p.text)
  }

  func testSyntheticProblemKeepsThePlainPromptAndIntegerCheck() throws {
    let s = try XCTUnwrap(
      SyntheticDatasetFile.generate(
        SyntheticDatasetConfig(count: 1, seed: 3, minDifficulty: 1, maxDifficulty: 1)
      )
      .first)
    let p = S2RRLProblem.synthetic(s)
    XCTAssertEqual(p.id, s.text)
    XCTAssertEqual(p.text, SyntheticFormat.prompt(s))
    XCTAssertEqual(p.request, .text(SyntheticFormat.prompt(s)))
    XCTAssertTrue(p.isCorrect(String(s.answer)))
    XCTAssertFalse(p.isCorrect(String(s.answer) + ".0"))
    XCTAssertTrue(p.responseIsCorrect("\\boxed{\(s.answer)}"))
    // Pair mark: the parser hands over the box's blanked list, which stands for the pair.
    let m = S2RRLProblem.synthetic(
      SyntheticProblem(kind: .pairMark, difficulty: 2, operands: [7, 2, 9, 3, 1, 11], ops: []))
    XCTAssertTrue(m.isCorrect(". 2 9 . ."))
    XCTAssertFalse(m.isCorrect("7 2 . . ."))
    XCTAssertTrue(m.responseIsCorrect("x\n\\boxed{. 2 9 . .}"))
  }

  /// One online step per level on 2 MATH-style problems with the chat layout: the parser stops on
  /// EOS / `<|im_end|>`, the step reports finite metrics, and only the process level moves weights.
  func testOnlineStepOnMathProblemsWithAChatBPEModel() throws {
    let t = try Self.tokenizer()
    let layout = S2RResponseLayout.chat(t, endOfTurn: Self.template.endOfTurn, textMarkers: true)
    for level in [S2RRLConfig.Level.outcome, .process] {
      let policy = Self.model(seed: 1)
      let before = policy.namedParameters().map { $0.tensor.toArray() as [Float] }
      let trainer = S2RRLTrainer(
        policy: policy, reference: Self.model(seed: 2), tokenizer: t, tasks: Self.problems.map(\.task),
        config: S2RRLConfig(
          level: level, steps: 1, problemsPerStep: 2, samplesPerProblem: 2, temperature: 1, maxNewTokens: 6,
          learningRate: 1e-2, warmupSteps: 0, klCoefficient: 0.5, updatesPerBatch: 1, baselineMinCount: 1),
        layout: layout)
      XCTAssertEqual(trainer.parser.markers.stopIDs, [257, 258])
      let report = try trainer.trainStep()
      XCTAssertEqual(report.step, 1)
      XCTAssertTrue(report.values.values.allSatisfy(\.isFinite), "\(report.values)")
      XCTAssertEqual(report.values["final_acc"], 0)  // a random model boxes nothing
      let moved = before != policy.namedParameters().map { $0.tensor.toArray() as [Float] }
      // Outcome: every reward is −1, so every RLOO advantage is 0 and nothing is trained; process:
      // the per-action rewards (−1 per unboxed attempt, KL-shaped) move the weights.
      XCTAssertEqual(moved, level == .process, "\(level)")
    }
  }
}
