import Datasets
import Generation
import Models
import Tokenizers

/// One synthetic attempt: its text, sampled ids and their log-probs, and its correctness.
public struct SyntheticAttempt: Codable, Sendable, Equatable {
  public var text: String
  public var tokens: [Int]
  public var logProbs: [Double]
  public var correct: Bool
  public var answer: Int?
}

/// Batched single- and multi-turn rollouts of a native model on synthetic problems.
public struct SyntheticEpisodes {
  public let model: Transformer
  public let tokenizer: CharTokenizer
  public let maxNewTokens: Int
  public let batchSize: Int

  public init(model: Transformer, tokenizer: CharTokenizer, maxNewTokens: Int = 96, batchSize: Int = 64) {
    self.model = model
    self.tokenizer = tokenizer
    self.maxNewTokens = maxNewTokens
    self.batchSize = batchSize
  }

  /// Continues each prompt text once; `seeds[i]` seeds sequence i.
  public func attempts(
    prompts: [String], problems: [SyntheticProblem], temperature: Double, seeds: [UInt64],
    maxNewTokens: Int? = nil
  ) -> [SyntheticAttempt] {
    var params = SamplingParams(temperature: temperature, maxNewTokens: maxNewTokens ?? self.maxNewTokens)
    params.stopTokenIDs = [tokenizer.eosTokenID!]
    let generator = Generator(model: model, tokenizer: tokenizer)
    var out: [SyntheticAttempt] = []
    for start in stride(from: 0, to: prompts.count, by: batchSize) {
      let range = start..<min(start + batchSize, prompts.count)
      let gens = generator.generate(
        prompts: range.map { tokenizer.encode(prompts[$0]) }, params: params, seeds: Array(seeds[range]))
      for (i, g) in zip(range, gens) {
        let s = SyntheticFormat.score(problems[i], attempt: g.text)
        out.append(
          SyntheticAttempt(
            text: g.text, tokens: g.tokens, logProbs: g.logProbs, correct: s.correct, answer: s.extracted))
      }
    }
    return out
  }

  /// `turns` attempts per problem: attempt t+1 sees the problem and every earlier attempt, each
  /// followed by the SCoRe instruction (SCoRe §1.5: x ⊕ y1 ⊕ p ⊕ y2 ⊕ p …).
  public func multiTurn(problems: [SyntheticProblem], turns: Int, temperature: Double, seed: UInt64)
    -> [[SyntheticAttempt]]
  {
    var episodes = problems.map { _ in [SyntheticAttempt]() }
    var prompts = problems.map(SyntheticFormat.prompt)
    for t in 0..<turns {
      let seeds = problems.indices.map { seed &+ UInt64($0) &* 1_000_003 &+ UInt64(t) }
      let step = attempts(prompts: prompts, problems: problems, temperature: temperature, seeds: seeds)
      for i in problems.indices {
        episodes[i].append(step[i])
        prompts[i] += step[i].text + "\n" + SyntheticFormat.scoreInstruction + "\n"  // x ⊕ y1 ⊕ p ⊕ y2 ⊕ p …
      }
    }
    return episodes
  }
}
