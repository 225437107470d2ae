import Datasets
import Foundation
import Generation
import Models
import Rollouts
import TensorCore
import Tokenizers

/// The synthetic task family a setup draws its problems from (grammars in `SyntheticProblem`).
public enum SyntheticFamily: String, Codable, Sendable, CaseIterable {
  /// Pick the one pair of list numbers that sums to T: checking an attempt is one one-digit sum of
  /// its own numbers, finding it is a search over every pair — the premise of both papers.
  case pairPick = "pair-pick"
  /// Pair pick answered by marking the pair in a copy of the list, so every answer is a pair of
  /// list numbers and every slip shows in the check's sum (`SyntheticKind.pairMark`).
  case pairMark = "pair-mark"
  /// Pair pick over labelled numbers, answered by the labels, so every answer names list numbers and
  /// the check looks them up (`SyntheticKind.indexPick`).
  case indexPick = "index-pick"
  /// Pair pick written as an anchor and T minus it, checked by a copy of the list with the pick
  /// blanked, so the checks see off-list slips and a retry can change the anchor
  /// (`SyntheticKind.anchorPick`).
  case anchorPick = "anchor-pick"
  /// Sums and differences of one-digit numbers and equations x + b = c, half each: checking redoes
  /// the work from the problem, no easier than solving — the control.
  case arithmetic

  /// Pair pick, pair mark, index pick or anchor pick: the tasks where checking is easier than solving.
  public var isPairTask: Bool { self != .arithmetic }

  /// The problem kind of a pair task; nil for arithmetic, which mixes two kinds.
  var pairKind: SyntheticKind? {
    switch self {
    case .pairPick: return .pairPick
    case .pairMark: return .pairMark
    case .indexPick: return .indexPick
    case .anchorPick: return .anchorPick
    case .arithmetic: return nil
    }
  }
}

/// Problems, tokenizer, architecture and base-model pre-training for the CPU-scale synthetic
/// experiments that `recheck demo` runs.
public struct SyntheticSetup: Codable, Sendable, Equatable {
  public var seed: UInt64
  /// The task family (configs written before pair pick existed have none and mean arithmetic).
  public var task: SyntheticFamily
  /// Pair pick's difficulty: d + 3 numbers in the list.
  public var pairPickDifficulty: ClosedRange<Int>
  /// Pre-train the base on problems of its own, disjoint by text from the train and held-out ones
  /// (`pretrainingProblems`), instead of on the train problems. Why: a base pre-trained on the
  /// train problems has memorised many of their answers, so in S²R's stage-0 data a verdict can be
  /// predicted from memory ("is this the answer I remember?") rather than from the check; the BI
  /// model then learned that shortcut and on held-out problems accepted all of its own attempts
  /// (measured on pair pick: first = final = verification accuracy, 1.00 attempts). The papers'
  /// bases have not memorised MATH's training answers either. Off for the arithmetic control (its
  /// equation half has only 162 distinct problems) and for configs written before it existed.
  public var pretrainOnOtherProblems: Bool
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
    seed: UInt64 = 1, task: SyntheticFamily = .arithmetic, pairPickDifficulty: ClosedRange<Int> = 2...2,
    pretrainOnOtherProblems: Bool = false,
    trainProblems: Int = 4000, heldOutProblems: Int = 200,
    arithmeticDifficulty: ClosedRange<Int> = 2...3, maxOperand: Int = 9, operators: [String] = ["+", "-"],
    equationDifficulty: ClosedRange<Int> = 1...1, hiddenSize: Int = 128, layers: Int = 4, heads: Int = 4,
    corpus: SyntheticCorpus = SyntheticCorpus(),
    pretraining: SFTConfig = SFTConfig(
      steps: 400, batchSize: 32, learningRate: 3e-3, warmupSteps: 20, maxLength: 256)
  ) {
    self.seed = seed
    self.task = task
    self.pairPickDifficulty = pairPickDifficulty
    self.pretrainOnOtherProblems = pretrainOnOtherProblems
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

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    seed = try c.decode(UInt64.self, forKey: .seed)
    task = try c.decodeIfPresent(SyntheticFamily.self, forKey: .task) ?? .arithmetic
    pairPickDifficulty = try c.decodeIfPresent(ClosedRange<Int>.self, forKey: .pairPickDifficulty) ?? 2...2
    pretrainOnOtherProblems = try c.decodeIfPresent(Bool.self, forKey: .pretrainOnOtherProblems) ?? false
    trainProblems = try c.decode(Int.self, forKey: .trainProblems)
    heldOutProblems = try c.decode(Int.self, forKey: .heldOutProblems)
    arithmeticDifficulty = try c.decode(ClosedRange<Int>.self, forKey: .arithmeticDifficulty)
    maxOperand = try c.decode(Int.self, forKey: .maxOperand)
    operators = try c.decode([String].self, forKey: .operators)
    equationDifficulty = try c.decode(ClosedRange<Int>.self, forKey: .equationDifficulty)
    hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
    layers = try c.decode(Int.self, forKey: .layers)
    heads = try c.decode(Int.self, forKey: .heads)
    corpus = try c.decode(SyntheticCorpus.self, forKey: .corpus)
    pretraining = try c.decode(SFTConfig.self, forKey: .pretraining)
  }

  /// Train and held-out problems, disjoint by text: pair pick, or half arithmetic and half equations.
  public func problems() -> (train: [SyntheticProblem], heldOut: [SyntheticProblem]) {
    if let kind = task.pairKind {
      let p = SyntheticTask.split(
        kind: kind, difficulties: pairPickDifficulty,
        trainCount: trainProblems,
        heldOutCount: heldOutProblems, seed: seed)
      return (p.train, p.heldOut)
    }
    let a = SyntheticTask.split(
      kind: .arithmetic, difficulties: arithmeticDifficulty, trainCount: trainProblems / 2,
      heldOutCount: heldOutProblems / 2,
      maxOperand: maxOperand, operators: operators, seed: seed)
    let e = SyntheticTask.split(
      kind: .linearEquation, difficulties: equationDifficulty, trainCount: trainProblems - trainProblems / 2,
      heldOutCount: heldOutProblems - heldOutProblems / 2, maxOperand: maxOperand, seed: seed &+ 1)
    return (a.train + e.train, a.heldOut + e.heldOut)
  }

  /// The problems the base model is pre-trained on: the train problems, or with
  /// `pretrainOnOtherProblems` as many others, drawn from another seed and disjoint by text from the
  /// train and held-out problems.
  public func pretrainingProblems() -> [SyntheticProblem] {
    let (train, _) = problems()
    guard pretrainOnOtherProblems else { return train }
    var other = self
    other.seed = seed &+ 0x5EED
    other.trainProblems = 3 * trainProblems
    other.heldOutProblems = 0
    // Held-out texts are excluded by `split`'s hash rule (the same for every seed); train texts here.
    let seen = Set(train.map(\.text))
    return Array(other.problems().train.filter { !seen.contains($0.text) }.prefix(trainProblems))
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
