import Datasets
import Foundation
import Generation
import Rollouts
import Tokenizers

/// RL/SFT frameworks whose data files `FrameworkExport` writes.
public enum ExportFormat: String, Codable, Sendable, CaseIterable {
  case trl, openrlhf, verl
}

/// What is exported: S²R SFT examples, RL prompt sets, or SCoRe episodes split into per-turn samples.
public enum ExportKind: String, Codable, Sendable, CaseIterable {
  case s2rSFT = "s2r-sft"
  case rlPrompts = "rl-prompts"
  case scoreTurns = "score-turns"
}

public enum ExportError: Error, Equatable, CustomStringConvertible {
  case notChatML(id: String)
  case badLine(file: String, line: Int, why: String)

  public var description: String {
    switch self {
    case .notChatML(let id):
      return "example \(id): prompt/answer are not ChatML, so no messages can be recovered (verl's SFT "
        + "dataset re-applies the chat template to a string prompt; use --format trl or openrlhf)"
    case .badLine(let f, let l, let why): return "\(f):\(l): \(why)"
    }
  }
}

/// Rows in the layouts the frameworks read (JSON objects; one JSONL line each):
///
/// | kind | TRL | OpenRLHF | verl |
/// |---|---|---|---|
/// | s2r-sft | `{prompt, completion}` strings (already templated) or conversational `{prompt:[…], completion:[…]}` | `{input, output}` (`--input_key input --output_key output`, no `--apply_chat_template`) | `{messages, extra_info}` (multi-turn SFT: `data.multiturn.enable=true`) |
/// | rl-prompts | `{prompt:[messages], label, id}` (extra columns reach reward functions) | `{input:[messages], label}` (`--input_key input --label_key label --apply_chat_template`) | `{data_source, prompt, ability, reward_model{style, ground_truth}, extra_info}` |
/// | score-turns | `{prompt, completion, reward, group, turn, sample}` | `{input, output, label, group, turn}` | verl row + `extra_info{group, turn, sample, response, reward, previous_reward}` |
///
/// `label` is score.md §6.5's JSON string `{"task","answer","tests","entry_point","r1"}`. verl reads
/// parquet; the rows are written as JSONL with the same schema, converted with one pandas line:
/// `python3 -c "import pandas as pd; pd.read_json('rows.jsonl', lines=True).to_parquet('rows.parquet')"`.
/// SCoRe turns follow score.md §6.6: each episode becomes one sample per turn, all sharing the RLOO
/// group of their problem (`group` = problem id), turn t's prompt is the context x_t.
public enum FrameworkExport {
  // MARK: S²R SFT

  public static func sftRow(_ e: S2RSFTExample, format: ExportFormat, conversational: Bool = false) throws
    -> [String: Any]
  {
    switch format {
    case .trl:
      guard conversational else { return ["prompt": e.prompt, "completion": e.answer] }
      guard let (head, reply) = chatML(prompt: e.prompt, answer: e.answer) else {
        throw ExportError.notChatML(id: e.id)
      }
      return ["prompt": messages(head), "completion": messages([.assistant(reply)])]
    case .openrlhf:
      return ["input": e.prompt, "output": e.answer]
    case .verl:
      guard let (head, reply) = chatML(prompt: e.prompt, answer: e.answer) else {
        throw ExportError.notChatML(id: e.id)
      }
      return [
        "messages": messages(head + [.assistant(reply)]),
        "extra_info": ["id": e.id, "wrong_attempts": e.wrongAttempts, "weight": e.weight ?? 1],
      ]
    }
  }

  /// Recovers the conversation from a ChatML prompt (ending with the assistant header) and answer
  /// (ending with `<|im_end|>`), or nil when either is not ChatML.
  ///
  /// Example: prompt `"<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"`, answer
  /// `"Yo<|im_end|>\n"` → ([user "Hi"], "Yo").
  public static func chatML(prompt: String, answer: String) -> ([ChatMessage], String)? {
    let header = "<|im_start|>assistant\n"
    guard prompt.hasSuffix(header) else { return nil }
    var reply = answer
    if reply.hasSuffix("\n") { reply.removeLast() }
    guard reply.hasSuffix("<|im_end|>") else { return nil }
    reply.removeLast("<|im_end|>".count)
    var body = Substring(prompt.dropLast(header.count))
    var out: [ChatMessage] = []
    while !body.isEmpty {
      guard body.hasPrefix("<|im_start|>"), let end = body.range(of: "<|im_end|>\n") else { return nil }
      let block = body[body.index(body.startIndex, offsetBy: "<|im_start|>".count)..<end.lowerBound]
      guard let nl = block.firstIndex(of: "\n") else { return nil }
      out.append(ChatMessage(role: String(block[..<nl]), content: String(block[block.index(after: nl)...])))
      body = body[end.upperBound...]
    }
    return out.isEmpty ? nil : (out, reply)
  }

  // MARK: RL prompts

  /// The prompt conversation: S²R's system prompt + problem (s2r.md §2.1), or SCoRe's first turn.
  public enum PromptStyle: String, Codable, Sendable, CaseIterable { case s2r, score }

  public static func promptMessages(_ item: EvalItem, style: PromptStyle) -> [ChatMessage] {
    switch style {
    case .s2r: return [.system(S2RDataBuilder.systemPrompt), .user(item.problem.prompt)]
    case .score: return item.task.promptSet.chatContext(problem: item.scoreProblem, previousAttempts: [])
    }
  }

  /// score.md §6.5's label: a JSON string (keys sorted) with the task, the answer or tests, and r1.
  ///
  /// Example: a math problem with answer "18" → `{"answer":"18","r1":null,"task":"math"}`.
  public static func label(_ item: EvalItem, r1: Double? = nil) -> String {
    var o: [String: Any] = ["r1": r1.map { $0 as Any } ?? NSNull()]
    switch item.problem.reference {
    case .answer(let a):
      o["task"] = "math"
      o["answer"] = a
    case .humanEval(let test, let entryPoint):
      o["task"] = "humaneval"
      o["tests"] = [test]
      o["entry_point"] = entryPoint
    case .mbpp(let list, let setup):
      o["task"] = "mbpp"
      o["tests"] = list
      if !setup.isEmpty { o["setup"] = setup }
    }
    return jsonText(o)
  }

  public static func rlPromptRow(_ item: EvalItem, format: ExportFormat, style: PromptStyle = .s2r)
    -> [String: Any]
  {
    let msgs = messages(promptMessages(item, style: style))
    let lbl = label(item)
    switch format {
    case .trl: return ["prompt": msgs, "label": lbl, "id": item.problem.id]
    case .openrlhf: return ["input": msgs, "label": lbl, "id": item.problem.id]
    case .verl:
      return [
        "data_source": item.problem.source, "prompt": msgs, "ability": ability(item.problem.kind),
        "reward_model": ["style": "rule", "ground_truth": groundTruth(item)],
        "extra_info": ["index": item.index, "id": item.problem.id, "label": lbl],
      ]
    }
  }

  static func ability(_ kind: ProblemKind) -> String { kind == .math ? "math" : "code" }

  /// verl's `ground_truth`: the answer for math; the §6.5 label for code (tests travel as JSON).
  static func groundTruth(_ item: EvalItem) -> String {
    if case .answer(let a) = item.problem.reference { return a }
    return label(item)
  }

  // MARK: SCoRe turns

  /// One SCoRe episode to split: its group (problem id), sample index, task, reference, and attempts.
  public struct TurnEpisode: Sendable, Equatable {
    public var group: String
    public var sample: Int
    /// "math", "humanEval", "mbpp", "synthetic" when known.
    public var task: String?
    public var reference: String?
    public var attempts: [(prompt: Prompt, text: String, reward: Double)]

    public init(
      group: String, sample: Int, task: String?, reference: String?,
      attempts: [(prompt: Prompt, text: String, reward: Double)]
    ) {
      self.group = group
      self.sample = sample
      self.task = task
      self.reference = reference
      self.attempts = attempts
    }

    public static func == (a: TurnEpisode, b: TurnEpisode) -> Bool {
      a.group == b.group && a.sample == b.sample && a.task == b.task && a.reference == b.reference
        && a.attempts.map(\.prompt) == b.attempts.map(\.prompt)
        && a.attempts.map(\.text) == b.attempts.map(\.text)
        && a.attempts.map(\.reward) == b.attempts.map(\.reward)
    }

    /// From a `recheck eval` record (SCoRe or single protocol; S²R attempts have no own context).
    public init?(record r: EvalRecord) {
      guard r.attempts.allSatisfy({ $0.prompt != nil }) else { return nil }
      self.init(
        group: r.id, sample: 0, task: r.task, reference: r.reference,
        attempts: r.attempts.map { ($0.prompt!, $0.text, $0.reward) })
    }

    /// From a training rollout episode (no reference is stored there).
    public init(episode e: SCoReEpisode) {
      self.init(
        group: e.problemID, sample: e.sample, task: nil, reference: nil,
        attempts: e.attempts.map { ($0.prompt, $0.text, $0.reward) })
    }
  }

  public static func turnRows(_ e: TurnEpisode, format: ExportFormat) -> [[String: Any]] {
    e.attempts.enumerated().map { t, a in
      let previous: Double? = t > 0 ? e.attempts[t - 1].reward : nil
      switch format {
      case .trl:
        var row: [String: Any] = ["reward": a.reward, "group": e.group, "turn": t + 1, "sample": e.sample]
        switch a.prompt {
        case .chat(let m):
          row["prompt"] = messages(m)
          row["completion"] = messages([.assistant(a.text)])
        case .text(let s):
          row["prompt"] = s
          row["completion"] = a.text
        }
        return row
      case .openrlhf:
        var lbl: [String: Any] = ["r1": previous.map { $0 as Any } ?? NSNull()]
        if let task = e.task { lbl["task"] = task }
        if let ref = e.reference { lbl["answer"] = ref }
        return [
          "input": promptValue(a.prompt), "output": a.text, "label": jsonText(lbl), "group": e.group,
          "turn": t + 1, "sample": e.sample, "reward": a.reward,
        ]
      case .verl:
        var extra: [String: Any] = [
          "group": e.group, "turn": t + 1, "sample": e.sample, "response": a.text, "reward": a.reward,
        ]
        extra["previous_reward"] = previous.map { $0 as Any } ?? NSNull()
        let chat: [ChatMessage]
        switch a.prompt {
        case .chat(let m): chat = m
        case .text(let s): chat = [.user(s)]
        }
        return [
          "data_source": "score-turns", "prompt": messages(chat),
          "ability": e.task == "humanEval" || e.task == "mbpp" ? "code" : "math",
          "reward_model": ["style": "rule", "ground_truth": e.reference ?? ""], "extra_info": extra,
        ]
      }
    }
  }

  // MARK: JSON

  static func messages(_ m: [ChatMessage]) -> [[String: String]] {
    m.map { ["role": $0.role, "content": $0.content] }
  }

  static func promptValue(_ p: Prompt) -> Any {
    switch p {
    case .chat(let m): return messages(m)
    case .text(let s): return s
    }
  }

  /// Compact JSON with sorted keys and unescaped slashes (stable, diffable lines).
  public static func jsonText(_ object: Any) -> String {
    // Every value built here is a JSON type, so serialisation cannot fail.
    let data = try! JSONSerialization.data(
      withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
  }
}
