import Datasets
import Foundation
import Generation
import Models
import Rollouts
import TensorCore
import Tokenizers

/// S²R stage 0 on synthetic problems (spec §2): sample K attempts per problem from the base
/// model, label them with the exact checker, obtain a confirmative verification for each
/// distinct answer from the task's own generator (substitution / recomputation — the synthetic
/// stand-in for the paper's frontier-LLM verifier), keep verifications whose verdict agrees with
/// the truth, and assemble trajectories whose number of wrong attempts grows with difficulty.
public struct S2RBehaviourData: Codable, Sendable, Equatable {
  public var samplesPerProblem: Int
  public var temperature: Double
  public var mix: S2RTrajectoryMix
  public var seed: UInt64
  /// [OURS] Probability of adding, for a problem with a confirmed right attempt, one extra k = 1
  /// trajectory (that right attempt and its "correct" verification, trained whole). The δ-mask
  /// never trains a first attempt that was followed by a retry; a large model keeps its solving
  /// skill anyway, but a tiny one trained mostly on k ≥ 2 trajectories forgets how to start
  /// (seen: first-attempt accuracy 24 % → 0 %, the reply opening with the check marker). 0 is
  /// the paper's recipe.
  public var singleAttemptFraction: Double
  /// [OURS] Probability that a trajectory with one or two wrong attempts repeats one of them — the
  /// same attempt and the same "incorrect" check — right after itself, before the right attempt.
  /// Why: the paper's wrong attempts are distinct, but a small BI model's greedy retry repeats the
  /// answer it has just rejected (anchor pick, SkylakeX / portable seeds 1–2: 40–74 % of BI's retries,
  /// and most of its wrong finals), and the check of such a repeat was never trained: it accepted
  /// it (SkylakeX seed 2: the second check right 0.44 of the time, blanking numbers the attempt
  /// does not hold). With a repeat in the data the second check learns to re-reject it (it is the
  /// first check again) and the right attempt follows two rejections. 0 is the paper's recipe and
  /// the demo's: at 0.5 (session 25, four runs) the second check did learn repeats, but the retries
  /// still repeated and the RL checks moved no more than noise (Docs/reproduction.md). nil means 0 and
  /// keeps the key out of the encoded config, so configs written before the option existed decode
  /// unchanged and keep their stage-cache fingerprints (`DemoStageKey`).
  public var repeatedWrongFraction: Double?
  /// [OURS] Cut each sampled attempt to its solution (`S2RDataBuilder.solutionPart`) before it is
  /// graded and chained. The paper's base never writes S²R's markers, so its samples are solutions;
  /// the synthetic base was pre-trained to go on with a check after a quarter of its solutions
  /// (`SyntheticCorpus.recheckFraction`), so at temperature 1 it often does, and uncut, 21–22 % of
  /// the attempts in BI's trajectories carried that verdictless check before the verifier's (anchor
  /// pick, session 25's four runs) — the final attempt's included, which the δ-mask trains. nil means
  /// false, so configs written before it decode unchanged and keep their stage-cache fingerprints.
  public var cutAtCheckMarker: Bool?

  public init(
    samplesPerProblem: Int = 5, temperature: Double = 1, mix: S2RTrajectoryMix = .init(), seed: UInt64 = 0,
    singleAttemptFraction: Double = 0, repeatedWrongFraction: Double? = nil, cutAtCheckMarker: Bool? = nil
  ) {
    self.samplesPerProblem = samplesPerProblem
    self.temperature = temperature
    self.mix = mix
    self.seed = seed
    self.singleAttemptFraction = singleAttemptFraction
    self.repeatedWrongFraction = repeatedWrongFraction
    self.cutAtCheckMarker = cutAtCheckMarker
  }

  /// Step 1: K sampled attempts per problem, graded.
  public func sample(base: Transformer, tokenizer: CharTokenizer, problems: [SyntheticProblem])
    -> [S2RStage0Problem]
  {
    let episodes = SyntheticEpisodes(model: base, tokenizer: tokenizer)
    var prompts: [String] = []
    var owners: [SyntheticProblem] = []
    var seeds: [UInt64] = []
    for (i, p) in problems.enumerated() {
      for k in 0..<samplesPerProblem {
        prompts.append(SyntheticFormat.prompt(p))
        owners.append(p)
        seeds.append(seed &+ UInt64(i) &* 7_919 &+ UInt64(k))
      }
    }
    let attempts = episodes.attempts(
      prompts: prompts, problems: owners, temperature: temperature, seeds: seeds)
    return problems.enumerated().map { i, p in
      let mine = attempts[(i * samplesPerProblem)..<((i + 1) * samplesPerProblem)]
      return S2RStage0Problem(
        id: p.text, problem: p.text, attempts: mine.map { graded(p, text: $0.text) })
    }
  }

  /// One sampled attempt, cut to its solution when `cutAtCheckMarker`, graded by the exact checker.
  func graded(_ p: SyntheticProblem, text: String) -> S2RSampledAttempt {
    let solution = cutAtCheckMarker == true ? S2RDataBuilder.solutionPart(text) : text
    let s = SyntheticFormat.score(p, attempt: solution)
    return S2RSampledAttempt(text: solution, answer: s.extracted.map(String.init) ?? "", correct: s.correct)
  }

  /// Step 1 through any `LanguageModel` (an OpenAI-compatible server, or the native model behind
  /// the protocol): one text request per problem for K samples, with the seeds of the native
  /// `sample` (problem i's sample k uses seed + i·7919 + k; the request's sample j uses its seed + j),
  /// each attempt graded by the synthetic checker.
  public func sample(model: any LanguageModel, problems: [SyntheticProblem], maxNewTokens: Int = 96)
    async throws -> [S2RStage0Problem]
  {
    let params = SamplingParams(temperature: temperature, maxNewTokens: maxNewTokens)
    let requests = problems.indices.map { i in
      CompletionRequest(
        prompt: .text(SyntheticFormat.prompt(problems[i])), params: params, n: samplesPerProblem,
        seed: seed &+ UInt64(i) &* 7_919)
    }
    let replies = try await model.complete(requests)
    return zip(problems, replies).map { p, sequences in
      S2RStage0Problem(
        id: p.text, problem: p.text,
        attempts: sequences.map { graded(p, text: $0.text) })
    }
  }

  /// Steps 2–3: verify each distinct answer once, keep agreeing verifications, assemble the
  /// plain-text trajectories (prompt = problem + "\n", answer = trajectory).
  public func build(_ sampled: [S2RStage0Problem], problems: [SyntheticProblem]) async throws
    -> [S2RSFTExample]
  {
    let byText = Dictionary(problems.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
    let source = S2RClosureVerificationSource { problem, answer, _ in
      guard let p = byText[problem], let value = Int(answer) else { return nil }
      return SyntheticTask.verification(for: p, answer: value)
    }
    var rng = SeededRNG(seed: seed &+ 0xC0FFEE)
    var out: [S2RSFTExample] = []
    for s in sampled {
      let verified = try await S2RDataBuilder.verify(
        s, source: source, maxDistinctAnswers: mix.maxDistinctAnswers)
      out += try assemble(
        verified, format: { problem, trajectory in (problem + "\n", trajectory) }, using: &rng)
    }
    return out
  }

  /// Step 3 for one verified problem, shared by synthetic and benchmark data: the paper's trajectory
  /// (`S2RDataBuilder.sftExample`, at most one) plus, with `singleAttemptFraction`, an extra k = 1
  /// trajectory with id `<id>#k1`. `format` maps (problem, trajectory) to (prompt, answer).
  public func assemble(
    _ verified: S2RVerifiedProblem,
    format: (_ problem: String, _ trajectory: String) throws -> (prompt: String, answer: String),
    using rng: inout SeededRNG
  ) throws -> [S2RSFTExample] {
    var out: [S2RSFTExample] = []
    if let example = try S2RDataBuilder.sftExample(
      verified, mix: mix, format: format, repeatProbability: repeatedWrongFraction ?? 0, using: &rng)
    {
      out.append(example)
    }
    if singleAttemptFraction > 0, !verified.correctPool.isEmpty,
      rng.nextUniform() < singleAttemptFraction
    {
      let right = verified.correctPool[Int(rng.next() % UInt64(verified.correctPool.count))]
      let (prompt, answer) = try format(
        verified.problem, S2RDataBuilder.trajectoryText(wrong: [], right: right))
      out.append(S2RSFTExample(id: verified.id + "#k1", prompt: prompt, answer: answer, wrongAttempts: 0))
    }
    return out
  }

  /// Tokenised training sequences with the δ-mask (spec §3.2): verifications, the final attempt
  /// and the end token are trained; earlier (wrong) attempts are context only. Any tokenizer: the
  /// synthetic char one, or a real model's BPE, whose prompts are chat-template text (encode them
  /// with `promptOptions: .special` so `<|im_start|>` & co. become their special ids) and whose reply
  /// ends with the template's end-of-turn token (`endID`; default: the tokenizer's EOS).
  public static func sequences(
    _ examples: [S2RSFTExample], tokenizer: any Tokenizer, promptOptions: EncodeOptions = .plain,
    endID: Int? = nil
  ) -> [TrainingSequence] {
    guard let eos = endID ?? tokenizer.eosTokenID else { return [] }
    let parser = S2RActionParser(markers: S2RMarkers(tokenizer: tokenizer, style: .sft, stopIDs: [eos]))
    return examples.map { e in
      let prompt = tokenizer.encode(e.prompt, options: promptOptions)
      let ids = prompt + tokenizer.encode(e.answer) + [eos]
      let w = S2RDeltaMask.weights(ids: ids, promptLength: prompt.count, parser: parser)
      return TrainingSequence(tokens: ids, weights: w.map(Float.init))
    }
  }
}
