import Datasets
import Generation
import Models
import Rollouts
import TensorCore
import Tokenizers
import Training

/// A tiny seeded char model over the synthetic alphabet, a few synthetic problems, and a checker
/// that does not depend on arithmetic (a random model never solves anything): an attempt is
/// "correct" when its first character has an even code point, so about half of all samples are
/// correct and every transition (i→c, c→c, c→i, i→i) occurs.
enum SCoReBaselinesFixture {
  static let tokenizer = SyntheticFormat.tokenizer()
  static let prompts = SCoRePromptSet.synthetic(
    firstTurn: "", correction: SyntheticFormat.scoreInstruction, separator: "\n")

  static func model(seed: UInt64 = 11) -> Transformer {
    var rng = SeededRNG(seed: seed)
    return Transformer(
      config: ModelConfig(
        vocabSize: tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1,
        numAttentionHeads: 2, numKeyValueHeads: 1, maxPositionEmbeddings: 128),
      rng: &rng)
  }

  static let problems = [
    SCoReProblem(id: "p1", statement: "1+2=?", answer: "3"),
    SCoReProblem(id: "p2", statement: "4*5=?", answer: "20"),
    SCoReProblem(id: "p3", statement: "2x+1=7", answer: "3"),
  ]

  static func isCorrect(_ text: String) -> Bool { (text.unicodeScalars.first?.value ?? 1) % 2 == 0 }

  static let checker: SCoReChecker = { _, text in (isCorrect(text) ? 1 : 0, text.first.map(String.init)) }

  static var inputs: SCoReRunInputs {
    SCoReRunInputs(
      tokenizer: tokenizer, prompts: prompts, layout: .text, problems: problems, checker: checker)
  }

  /// The turn-2 context written out by hand: problem, "\n", y1, "\n", instruction, "\n".
  static func secondTurnContext(_ problemID: String, _ y1: String) -> String {
    problems.first { $0.id == problemID }!.statement + "\n" + y1 + "\n" + SyntheticFormat.scoreInstruction
      + "\n"
  }

  static func weights(_ model: Transformer) -> [[Float]] { model.parameters.map { $0.toArray() } }
}
