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
  case maskedSegments(id: String, format: String)
  case badLine(file: String, line: Int, why: String)
  case needsData(id: String, task: String)

  public var description: String {
    switch self {
    case .maskedSegments(let id, let format):
      return "example \(id): S²R's δ-mask leaves its wrong attempts untrained between trained parts, but "
        + "\(format) rows end every trained part with an end token (a chat template, or OpenRLHF's "
        + "SFTDataset appending EOS); use --format trl without --conversational (one row per trained "
        + "segment, tokenised by recheck_sft_dataset in Examples/recheck_reward_shim.py)"
    case .badLine(let f, let l, let why): return "\(f):\(l): \(why)"
    case .needsData(let id, let task):
      return "record \(id): a \(task) record keeps only the entry point or asserts, not the tests; pass "
        + "--data with the data file the run evaluated"
    }
  }
}

/// Rows in the layouts the frameworks read (JSON objects; one JSONL line each). The commands that
/// read them, with pinned versions, are in Docs/frameworks.md.
///
/// | kind | TRL | OpenRLHF | verl |
/// |---|---|---|---|
/// | s2r-sft | `{prompt, completion, end, id, segment, weight}` per trained segment (`sftRows`), or conversational `{prompt:[…], completion:[…]}` | `{input, output}` (`--data.input_key input --data.output_key output --data.input_template ""`) | `{messages, extra_info}` (multi-turn SFT) |
/// | rl-prompts | `{prompt:[messages], label, id}` (extra columns reach reward functions) | `{input:[messages], label, id}` (`--data.input_key input --data.label_key label --data.apply_chat_template`) | `{data_source, prompt, ability, reward_model{style, ground_truth}, extra_info{index, id, label}}` |
/// | score-turns | `{prompt, completion, reward, label, group, turn, sample}` | `{input, output, label, reward, group, turn, sample}` | verl row + `extra_info{label, group, turn, sample, response, reward, previous_reward, shaping}` |
///
/// `label` is score.md §6.5's JSON string `{"task", "answer" | "tests", "entry_point", "setup", "r1",
/// "shaping"}`, which `recheck serve` grades on `/get_reward` and `/verify`. SCoRe turns follow
/// score.md §6.6: each episode becomes one sample per turn, all sharing the RLOO group of their
/// problem (`group` = problem id); turn t's prompt is the context x_t, and turns t ≥ 2 carry
/// r1 = r(y_{t−1}) and the Stage II shaping α.
public enum FrameworkExport {
  // MARK: RL prompts

  /// The prompt conversation: S²R's system prompt + problem (s2r.md §2.1), or SCoRe's first turn.
  public enum PromptStyle: String, Codable, Sendable, CaseIterable { case s2r, score }

  public static func promptMessages(_ item: EvalItem, style: PromptStyle) -> [ChatMessage] {
    switch style {
    case .s2r: return [.system(S2RDataBuilder.systemPrompt), .user(item.problem.prompt)]
    case .score: return item.task.promptSet.chatContext(problem: item.scoreProblem, previousAttempts: [])
    }
  }

  /// score.md §6.5's label: a JSON string (keys sorted) with the task, the answer or tests, r1 and,
  /// with r1, the Stage II shaping α.
  ///
  /// Example: a math problem with answer "18" → `{"answer":"18","r1":null,"task":"math"}`; a
  /// synthetic one with r1 = 0, α = 10 → `{"answer":"18","r1":0,"shaping":10,"task":"synthetic"}`.
  public static func label(_ item: EvalItem, r1: Double? = nil, shaping: Double? = nil) -> String {
    jsonText(labelObject(item, r1: r1, shaping: shaping))
  }

  static func labelObject(_ item: EvalItem, r1: Double?, shaping: Double?) -> [String: Any] {
    var o: [String: Any] = ["r1": r1.map { $0 as Any } ?? NSNull()]
    if r1 != nil, let shaping { o["shaping"] = shaping }
    switch item.problem.reference {
    case .answer(let a):
      o["task"] = item.task == .synthetic ? "synthetic" : "math"
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
    return o
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

  /// verl's `ground_truth`: the answer for math and synthetic tasks (verl's own math scorers read
  /// it); the §6.5 label for code (tests travel as JSON). `extra_info.label` always holds the label.
  static func groundTruth(_ item: EvalItem) -> String {
    if case .answer(let a) = item.problem.reference { return a }
    return label(item)
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
