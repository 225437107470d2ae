import Foundation
import Generation
import Rollouts
import Tokenizers

/// SCoRe episodes split into per-turn samples (score.md §6.6) with complete reward labels.
extension FrameworkExport {
  /// One SCoRe episode to split: its group (problem id), sample index, task, reference, label
  /// fields, and attempts.
  public struct TurnEpisode: Sendable, Equatable {
    public var group: String
    public var sample: Int
    /// "math", "humaneval", "mbpp" or "synthetic" (the label's task).
    public var task: String
    /// The math/synthetic answer, or the label JSON for code (verl's `ground_truth`).
    public var reference: String
    /// §6.5 label fields without r1 and shaping, as JSON text (keys sorted).
    public var labelFields: String
    public var attempts: [Turn]

    public struct Turn: Sendable, Equatable {
      public var prompt: Prompt
      public var text: String
      public var reward: Double
      public init(prompt: Prompt, text: String, reward: Double) {
        self.prompt = prompt
        self.text = text
        self.reward = reward
      }
    }

    public init(group: String, sample: Int, labelFields: [String: Any], attempts: [Turn]) {
      self.group = group
      self.sample = sample
      self.task = labelFields["task"] as? String ?? "math"
      let fields = labelFields.filter { $0.key != "r1" && $0.key != "shaping" }
      self.labelFields = FrameworkExport.jsonText(fields)
      if task == "math" || task == "synthetic" {
        self.reference = fields["answer"].map { "\($0)" } ?? ""
      } else {
        self.reference = self.labelFields
      }
      self.attempts = attempts
    }

    /// The label of turn `t` (0-based): r1 = the previous turn's reward and α from turn 2 on.
    public func label(turn t: Int, shaping: Double?) -> String {
      // labelFields is JSON this type wrote, so it parses back.
      var o = try! JSONSerialization.jsonObject(with: Data(labelFields.utf8)) as! [String: Any]
      o["r1"] = t > 0 ? attempts[t - 1].reward : NSNull()
      if t > 0, let shaping { o["shaping"] = shaping }
      return FrameworkExport.jsonText(o)
    }
  }

  /// One row per turn; `shaping` is SCoRe's Stage II α (score.md §2.4, Eq. 4: r̃2 = r2 + α(r2 − r1)),
  /// put into the labels of turns ≥ 2 so that `recheck serve` returns the shaped reward.
  public static func turnRows(_ e: TurnEpisode, format: ExportFormat, shaping: Double? = 10) -> [[String:
    Any]]
  {
    e.attempts.enumerated().map { t, a in
      let previous: Any = t > 0 ? e.attempts[t - 1].reward : NSNull()
      let label = e.label(turn: t, shaping: shaping)
      let common: [String: Any] = ["reward": a.reward, "group": e.group, "turn": t + 1, "sample": e.sample]
      switch format {
      case .trl:
        var row = common
        row["label"] = label
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
        return common.merging(["input": promptValue(a.prompt), "output": a.text, "label": label]) { x, _ in x
        }
      case .verl:
        var extra = common
        extra["response"] = a.text
        extra["previous_reward"] = previous
        extra["shaping"] = t > 0 ? (shaping.map { $0 as Any } ?? NSNull()) : NSNull()
        extra["label"] = label
        let chat: [ChatMessage]
        switch a.prompt {
        case .chat(let m): chat = m
        case .text(let s): chat = [.user(s)]
        }
        return [
          "data_source": "score-turns", "prompt": messages(chat),
          "ability": e.task == "humaneval" || e.task == "mbpp" ? "code" : "math",
          "reward_model": ["style": "rule", "ground_truth": e.reference], "extra_info": extra,
        ]
      }
    }
  }
}
