import Datasets
import Foundation
import Generation
import Rollouts
import Tokenizers
import Verifiers

/// Progress after each written record.
public struct EvalProgress: Sendable, Equatable {
  /// Records written in this invocation, and the problems still pending when it started.
  public var done: Int
  public var pending: Int
  /// Problems already in the results file when this invocation started (a resumed run).
  public var resumed: Int
  public var total: Int
  public var lastID: String
}

/// Runs an evaluation protocol over items against any `LanguageModel` and appends one record per
/// problem to a `ResumableJSONLWriter` (fsynced per line). Problems already in the file are skipped,
/// so an interrupted run resumes where it stopped; request seeds depend only on (config seed,
/// problem id, turn), never on the position in a batch, so a resumed run asks for the same samples.
///
/// Problems go to the backend `config.batchSize` at a time (one `complete` call per turn); a crash
/// loses at most the batch in flight. SCoRe turns are run here rather than by `SCoReEpisodeRunner`
/// because that runner derives seeds from the position in its call, which changes on resume.
public struct EvalRunner: Sendable {
  public var model: any LanguageModel
  public var config: EvalConfig
  public var grader: EvalGrader

  public init(model: any LanguageModel, config: EvalConfig, grader: EvalGrader) {
    self.model = model
    self.config = config
    self.grader = grader
  }

  /// Evaluates every item `writer` does not hold yet; `onRecord` runs after each append (throwing
  /// from it stops the run, as a crash would). Returns the number of records written.
  @discardableResult
  public func run(
    _ items: [EvalItem], writer: ResumableJSONLWriter, onRecord: (EvalProgress) throws -> Void = { _ in }
  ) async throws -> Int {
    let pending = items.filter { !writer.isFinished($0.problem.id) }
    let resumed = items.count - pending.count
    var done = 0
    let size = max(1, config.batchSize)
    for start in stride(from: 0, to: pending.count, by: size) {
      let chunk = Array(pending[start..<min(start + size, pending.count)])
      for record in try await evaluate(chunk) {
        try writer.append(record, id: record.id)
        done += 1
        try onRecord(
          EvalProgress(
            done: done, pending: pending.count, resumed: resumed, total: items.count, lastID: record.id))
      }
    }
    return done
  }

  /// Records for `items` (in order) under the configured protocol.
  public func evaluate(_ items: [EvalItem]) async throws -> [EvalRecord] {
    switch config.evalProtocol {
    case .single: return try await multiTurn(items, turns: 1)
    case .score(let turns): return try await multiTurn(items, turns: max(1, turns))
    case .s2r(let maxAttempts): return try await selfVerifying(items, maxAttempts: maxAttempts)
    }
  }

  /// The request seed of (problem, turn): FNV-1a of the id mixed into the run seed.
  ///
  /// Example: the same (seed, id, turn) gives the same value in every run and batch position.
  public static func seed(_ seed: UInt64, id: String, turn: Int) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return SCoReEpisodeRunner.requestSeed(seed ^ h, turn: turn, index: 0)
  }

  func multiTurn(_ items: [EvalItem], turns: Int) async throws -> [EvalRecord] {
    var attempts = items.map { _ in [EvalAttempt]() }
    for turn in 1...turns {
      let requests = items.enumerated().map { i, item in
        CompletionRequest(
          prompt: item.task.promptSet.context(
            problem: item.scoreProblem, previousAttempts: attempts[i].map(\.text), layout: config.layout),
          params: params(item.task), n: 1, seed: Self.seed(config.seed, id: item.problem.id, turn: turn))
      }
      let outputs = try await complete(requests)
      let grades = try await gradeAll(items, outputs.map(\.text))
      for i in items.indices {
        attempts[i].append(
          EvalAttempt(
            prompt: requests[i].prompt, text: outputs[i].text, extracted: grades[i].extracted,
            correct: grades[i].correct, reward: grades[i].reward, detail: grades[i].detail,
            finishReason: outputs[i].finishReason, tokens: outputs[i].tokens.count))
      }
    }
    return items.enumerated().map { i, item in
      let last = attempts[i].last!
      return EvalRecord(
        id: item.problem.id, index: item.index, source: item.problem.source, task: item.task.rawValue,
        evalProtocol: config.evalProtocol.name, reference: item.reference, prompt: attempts[i][0].prompt!,
        attempts: attempts[i], attemptsUsed: attempts[i].count, finalAnswer: last.extracted,
        finalCorrect: last.correct)
    }
  }

  /// The S²R prompt (s2r.md §6.1, §2.1): system "Please reason step by step, and put your final
  /// answer within \boxed{}." + the problem; synthetic tasks use their own `problem "\n"` layout.
  public func s2rPrompt(_ item: EvalItem) -> Prompt {
    if item.task == .synthetic, let p = item.synthetic { return .text(SyntheticFormat.prompt(p)) }
    switch config.layout {
    case .chat: return .chat([.system(S2RDataBuilder.systemPrompt), .user(item.problem.prompt)])
    case .text: return .text(S2RDataBuilder.systemPrompt + "\n\n" + item.problem.prompt + "\n\n")
    }
  }

  func selfVerifying(_ items: [EvalItem], maxAttempts: Int) async throws -> [EvalRecord] {
    let requests = items.map { item in
      CompletionRequest(
        prompt: s2rPrompt(item), params: params(item.task), n: 1,
        seed: Self.seed(config.seed, id: item.problem.id, turn: 1))
    }
    let outputs = try await complete(requests)
    let cutter = EvalS2RCutter(maxAttempts: maxAttempts, markers: config.s2rMarkers)
    let cuts = zip(outputs, items).map { out, _ in cutter.cut(out.text, finishReason: out.finishReason) }
    // Grade every attempt, then the final answer of the whole kept response.
    var flat: [(Int, String)] = []
    for (i, c) in cuts.enumerated() { for a in c.attempts { flat.append((i, a)) } }
    let attemptGrades = try await gradeAll(flat.map { items[$0.0] }, flat.map(\.1))
    let finals = try await gradeAll(items, zip(cuts, items).map { finalText($0, task: $1.task) })
    var next = 0
    return items.enumerated().map { i, item in
      let c = cuts[i]
      let lastContent = c.verifications.last.map { $0 != nil } ?? false
      let attempts = c.attempts.enumerated().map { j, text in
        let g = attemptGrades[next + j]
        let v = c.verifications[j]
        // RL's verdict rule (s2r.md §4.3): an undetermined verdict counts as correct only when the
        // verification is the response's last content action.
        let isLast = j == c.attempts.count - 1 && lastContent
        return EvalAttempt(
          text: text, extracted: g.extracted, correct: g.correct, reward: g.reward, detail: g.detail,
          verification: v, verdict: v.map { S2RVerdictParser.verdict($0, isLastAction: isLast) })
      }
      next += c.attempts.count
      return EvalRecord(
        id: item.problem.id, index: item.index, source: item.problem.source, task: item.task.rawValue,
        evalProtocol: config.evalProtocol.name, reference: item.reference, prompt: requests[i].prompt,
        attempts: attempts, attemptsUsed: attempts.count, finalAnswer: finals[i].extracted,
        finalCorrect: finals[i].correct, response: c.text, stopReason: c.stopReason)
    }
  }

  /// What S²R's final answer is read from: math and synthetic read the whole response (last box
  /// anywhere, s2r.md §6.3); code runs the last attempt.
  func finalText(_ c: EvalS2RResponse, task: EvalTask) -> String {
    switch task {
    case .math, .synthetic: return c.text
    case .humanEval, .mbpp: return c.attempts.last ?? c.text
    }
  }

  func params(_ task: EvalTask) -> SamplingParams {
    var p = config.params
    p.stopStrings = Array(Set(p.stopStrings).union(task.promptSet.stopStrings)).sorted()
    return p
  }

  func complete(_ requests: [CompletionRequest]) async throws -> [GeneratedSequence] {
    let out = try await model.complete(requests)
    guard out.count == requests.count, out.allSatisfy({ $0.count == 1 }) else {
      throw EvalError.backend(
        "\(model.name) returned \(out.map(\.count)) samples for \(requests.count) requests")
    }
    return out.map { $0[0] }
  }

  /// Grades `texts[i]` for `items[i]`, concurrently (code runs in the sandbox), order kept.
  func gradeAll(_ items: [EvalItem], _ texts: [String]) async throws -> [EvalGrade] {
    let grader = self.grader
    return try await withThrowingTaskGroup(of: (Int, EvalGrade).self) { group in
      for (i, item) in items.enumerated() {
        let text = texts[i]
        group.addTask { (i, try await grader.grade(item, response: text)) }
      }
      var out = [EvalGrade?](repeating: nil, count: items.count)
      for try await (i, g) in group { out[i] = g }
      return out.map { $0! }
    }
  }
}
