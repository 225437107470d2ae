import Datasets
import Generation
import Models
import Rollouts
import TensorCore
import Tokenizers

/// Greedy evaluation of a native model on held-out synthetic problems under the two papers'
/// protocols.
public enum SyntheticEvaluation {
  /// SCoRe protocol (§1.2, §3): `turns` greedy attempts, attempt t+1 conditioned on the earlier
  /// ones and the fixed instruction. Returns per-problem correctness and the attempts.
  public static func multiTurn(
    model: Transformer, tokenizer: CharTokenizer, problems: [SyntheticProblem], turns: Int = 2
  ) -> (correct: [[Bool]], attempts: [[SyntheticAttempt]]) {
    let episodes = SyntheticEpisodes(model: model, tokenizer: tokenizer).multiTurn(
      problems: problems, turns: turns, temperature: 0, seed: 0)
    return (episodes.map { $0.map(\.correct) }, episodes)
  }

  /// One S²R self-verifying inference result.
  public struct S2RResult: Codable, Sendable {
    public var problem: String
    public var response: String
    public var attemptsUsed: Int
    public var stopReason: String
    public var record: S2RProblemRecord
  }

  /// S²R protocol: greedy generation of a whole trajectory (up to `maxTokens`), kept up to the
  /// model's own first "correct" verification or the attempt budget (`S2RSelfVerification`);
  /// the final answer is the last box of the kept text (spec §6.3).
  public static func selfVerifying(
    model: Transformer, tokenizer: CharTokenizer, problems: [SyntheticProblem], budget: S2RInferenceBudget
  ) -> [S2RResult] {
    let eos = tokenizer.eosTokenID!
    let rlParser = S2RActionParser(markers: S2RMarkers(tokenizer: tokenizer, style: .rl, stopIDs: [eos]))
    let verifier = S2RSelfVerification(parser: rlParser, budget: budget)
    let episodes = SyntheticEpisodes(model: model, tokenizer: tokenizer, maxNewTokens: budget.maxTokens)
    let outs = episodes.attempts(
      prompts: problems.map(SyntheticFormat.prompt), problems: problems, temperature: 0,
      seeds: problems.indices.map(UInt64.init), maxNewTokens: budget.maxTokens)
    return zip(problems, outs).map { p, out in
      let decision = verifier.decide(response: out.tokens, decode: { tokenizer.decode($0) })
      let kept = Array(out.tokens.prefix(decision.keep))
      let rollout = S2RRollout(ids: kept, parser: rlParser, tokenizer: tokenizer)
      let scored = S2RRewards.score(rollout, isCorrect: { SyntheticTask.answer(boxContent: $0) == p.answer })
      let final = SyntheticTask.boxedAnswer(in: tokenizer.decode(kept)) == p.answer
      return S2RResult(
        problem: p.text, response: tokenizer.decode(kept), attemptsUsed: decision.attemptsUsed,
        stopReason: decision.reason?.rawValue ?? "none",
        record: S2RProblemRecord(scored: scored, finalCorrect: final))
    }
  }
}
