import Datasets
import Foundation
import Generation
import Models
import Rollouts
import TensorCore
import Tokenizers

/// Problems, tokenizer, architecture and base-model pre-training for the CPU-scale synthetic
/// experiments that `recheck demo` runs.
public struct SyntheticSetup: Codable, Sendable, Equatable {
  public var seed: UInt64
  public var trainProblems: Int
  public var heldOutProblems: Int
  public var arithmeticDifficulty: ClosedRange<Int>
  public var maxOperand: Int
  /// Arithmetic operators. The default keeps + and − only: every step is then a fact between a
  /// small number and a digit, which a tiny model learns in minutes and which held-out problems
  /// recombine (products of two-digit intermediates are out of its reach at this budget).
  public var operators: [String]
  public var equationDifficulty: ClosedRange<Int>
  public var hiddenSize: Int
  public var layers: Int
  public var heads: Int
  public var corpus: SyntheticCorpus
  public var pretraining: SFTConfig

  public init(
    seed: UInt64 = 1, trainProblems: Int = 4000, heldOutProblems: Int = 200,
    arithmeticDifficulty: ClosedRange<Int> = 2...3, maxOperand: Int = 9, operators: [String] = ["+", "-"],
    equationDifficulty: ClosedRange<Int> = 1...1, hiddenSize: Int = 128, layers: Int = 4, heads: Int = 4,
    corpus: SyntheticCorpus = SyntheticCorpus(),
    pretraining: SFTConfig = SFTConfig(
      steps: 400, batchSize: 32, learningRate: 3e-3, warmupSteps: 20, maxLength: 256)
  ) {
    self.seed = seed
    self.trainProblems = trainProblems
    self.heldOutProblems = heldOutProblems
    self.arithmeticDifficulty = arithmeticDifficulty
    self.maxOperand = maxOperand
    self.operators = operators
    self.equationDifficulty = equationDifficulty
    self.hiddenSize = hiddenSize
    self.layers = layers
    self.heads = heads
    self.corpus = corpus
    self.pretraining = pretraining
  }

  /// Train and held-out problems (half arithmetic, half equations), disjoint by text.
  public func problems() -> (train: [SyntheticProblem], heldOut: [SyntheticProblem]) {
    let a = SyntheticTask.split(
      kind: .arithmetic, difficulties: arithmeticDifficulty, trainCount: trainProblems / 2,
      heldOutCount: heldOutProblems / 2,
      maxOperand: maxOperand, operators: operators, seed: seed)
    let e = SyntheticTask.split(
      kind: .linearEquation, difficulties: equationDifficulty, trainCount: trainProblems - trainProblems / 2,
      heldOutCount: heldOutProblems - heldOutProblems / 2, maxOperand: maxOperand, seed: seed &+ 1)
    return (a.train + e.train, a.heldOut + e.heldOut)
  }

  public func modelConfig(vocabSize: Int) -> ModelConfig {
    ModelConfig(
      vocabSize: vocabSize, hiddenSize: hiddenSize, intermediateSize: hiddenSize * 3, numHiddenLayers: layers,
      numAttentionHeads: heads, numKeyValueHeads: heads, maxPositionEmbeddings: 1024, ropeTheta: 10_000,
      rmsNormEps: 1e-5, tieWordEmbeddings: true, bosTokenId: nil, eosTokenIds: [2], padTokenId: 0)
  }

  /// Encodes (prompt, completion) texts; the completion is followed by EOS and alone carries loss.
  public static func sequences(_ pairs: [(prompt: String, completion: String)], tokenizer: CharTokenizer)
    -> [TrainingSequence]
  {
    let eos = tokenizer.eosTokenID!
    return pairs.map {
      TrainingSequence(
        prompt: tokenizer.encode($0.prompt), completion: tokenizer.encode($0.completion) + [eos])
    }
  }

  /// Pre-trains a fresh base model on the noisy corpus.
  public func trainBaseModel(
    tokenizer: CharTokenizer, problems: [SyntheticProblem], onStep: (StepReport) throws -> Void = { _ in }
  ) throws -> Transformer {
    var rng = SeededRNG(seed: seed &+ 100)
    let model = Transformer(config: modelConfig(vocabSize: tokenizer.vocabSize), rng: &rng)
    let data = Self.sequences(corpus.examples(problems, rng: &rng), tokenizer: tokenizer)
    var cfg = pretraining
    cfg.seed = seed &+ 200
    try SFTTrainer(model: model, data: data, config: cfg).train(onStep: onStep)
    return model
  }
}
