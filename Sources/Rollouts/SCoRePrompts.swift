import Generation
import Tokenizers

/// Which SCoRe benchmark family a prompt set renders (SCoRe spec §1.3).
public enum SCoReTask: String, Sendable, Codable, CaseIterable {
  case math, mbpp, humanEval, synthetic
}

/// One problem of a SCoRe run. `statement` is what the model sees (MATH problem text, MBPP task
/// text, HumanEval `prompt` field, synthetic task text); `tests` are the MBPP asserts shown in the
/// prompt ("Your code should pass these tests"); `answer` (oracle answer, or tests/entry point
/// encoded by the caller) is only read by the checker and never rendered.
public struct SCoReProblem: Sendable, Codable, Hashable {
  public var id: String
  public var statement: String
  public var tests: [String]
  public var answer: String

  public init(id: String, statement: String, tests: [String] = [], answer: String) {
    self.id = id
    self.statement = statement
    self.tests = tests
    self.answer = answer
  }
}

/// How a context is handed to the model: a chat conversation (§1.4 layout) or one plain string
/// (base-model fallback).
public enum SCoRePromptLayout: String, Sendable, Codable {
  case chat, text
}

/// The prompts of one SCoRe task ([P] Appendix C, texts literal) and the renderers of the
/// multi-attempt context `x ⊕ y1 ⊕ p ⊕ y2 ⊕ p ⊕ …` (spec §1.2, §1.5).
///
/// Chat layout (§1.4): `user: {firstTurnInstruction}\n\n{problem}`, then for every earlier
/// attempt `assistant: {y}` and `user: {p}`. Plain text: `instruction ⊕ "\n\n" ⊕ problem ⊕
/// problemSeparator ⊕ y1 ⊕ turnSeparator ⊕ p ⊕ turnSeparator ⊕ y2 ⊕ …`. Attempts are inserted
/// verbatim (rule (a) of §1.4); the same prompt set must be used for training and evaluation.
public struct SCoRePromptSet: Sendable, Codable, Hashable {
  public var task: SCoReTask
  /// Text before the problem in the first user turn (MATH instruction; MBPP's three shots;
  /// empty for HumanEval).
  public var firstTurnInstruction: String
  /// The self-correction instruction p, identical whether or not the previous attempt was right
  /// (intrinsic self-correction, §1.1).
  public var correctionInstruction: String
  /// Plain-text layout: between the rendered problem and y1.
  public var problemSeparator: String
  /// Plain-text layout: after each attempt and after each p.
  public var turnSeparator: String
  /// Stop strings a sampler should use for this task (MBPP: `[DONE]`, §1.3 [OURS]).
  public var stopStrings: [String]

  public init(
    task: SCoReTask, firstTurnInstruction: String, correctionInstruction: String,
    problemSeparator: String = "\n\n", turnSeparator: String = "\n\n", stopStrings: [String] = []
  ) {
    self.task = task
    self.firstTurnInstruction = firstTurnInstruction
    self.correctionInstruction = correctionInstruction
    self.problemSeparator = problemSeparator
    self.turnSeparator = turnSeparator
    self.stopStrings = stopStrings
  }

  /// MATH: zero-shot CoT instruction and self-correction instruction ([P] App. C).
  public static let math = SCoRePromptSet(
    task: .math, firstTurnInstruction: SCoRePromptText.mathFirstTurn,
    correctionInstruction: SCoRePromptText.mathCorrection)

  /// MBPP training prompt: Austin et al. 3-shot (tasks 2, 3, 4); generation stops at `[DONE]`.
  /// The problem ends at `[BEGIN]\n`, so in plain text y1 follows it directly.
  public static let mbpp = SCoRePromptSet(
    task: .mbpp, firstTurnInstruction: SCoReMBPPShots.fewShotPrefix,
    correctionInstruction: SCoRePromptText.codeCorrection, problemSeparator: "", turnSeparator: "\n",
    stopStrings: ["[DONE]"])

  /// HumanEval evaluation prompt: the raw `prompt` field ([OURS]); the model completes the
  /// function, which in plain text continues the prompt directly.
  public static let humanEval = SCoRePromptSet(
    task: .humanEval, firstTurnInstruction: "", correctionInstruction: SCoRePromptText.codeCorrection,
    problemSeparator: "", turnSeparator: "\n")

  /// Short prompts for tiny CPU models on synthetic tasks (e.g. "Solve." / "Check and rewrite.").
  public static func synthetic(
    firstTurn: String, correction: String, separator: String = "\n", stopStrings: [String] = []
  ) -> SCoRePromptSet {
    SCoRePromptSet(
      task: .synthetic, firstTurnInstruction: firstTurn, correctionInstruction: correction,
      problemSeparator: separator, turnSeparator: separator, stopStrings: stopStrings)
  }

  /// The problem as the model sees it. MATH: `"Problem: {statement}"`; MBPP: the Austin header
  /// with the task's asserts, ending at `"[BEGIN]\n"`; HumanEval and synthetic: the statement.
  public func renderProblem(_ problem: SCoReProblem) -> String {
    switch task {
    case .math: return "Problem: " + problem.statement
    case .mbpp: return SCoReMBPPShots.header(text: problem.statement, tests: problem.tests) + "\n"
    case .humanEval, .synthetic: return problem.statement
    }
  }

  /// Content of the first user turn: `instruction + "\n\n" + problem` (problem alone when the
  /// instruction is empty).
  ///
  /// Example (`synthetic(firstTurn: "Add.", correction: "Fix.")`, statement "2+3"): `"Add.\n\n2+3"`.
  public func firstTurnText(_ problem: SCoReProblem) -> String {
    let rendered = renderProblem(problem)
    return firstTurnInstruction.isEmpty ? rendered : firstTurnInstruction + "\n\n" + rendered
  }

  /// Conversation for the next attempt after `previousAttempts` (empty: turn 1).
  ///
  /// Example (`synthetic(firstTurn: "Add.", correction: "Fix.")`, "2+3", previous ["6"]):
  /// `[user "Add.\n\n2+3", assistant "6", user "Fix."]`.
  public func chatContext(problem: SCoReProblem, previousAttempts: [String]) -> [ChatMessage] {
    var messages: [ChatMessage] = [.user(firstTurnText(problem))]
    for attempt in previousAttempts {
      messages.append(.assistant(attempt))
      messages.append(.user(correctionInstruction))
    }
    return messages
  }

  /// Plain-text context for the next attempt after `previousAttempts` (empty: turn 1).
  ///
  /// Example (`synthetic(firstTurn: "Add.", correction: "Fix.")`, separator "\n", "2+3",
  /// previous ["6", "4"]): `"Add.\n\n2+3\n6\nFix.\n4\nFix.\n"`.
  public func textContext(problem: SCoReProblem, previousAttempts: [String]) -> String {
    var s = firstTurnText(problem) + problemSeparator
    for attempt in previousAttempts {
      s += attempt + turnSeparator + correctionInstruction + turnSeparator
    }
    return s
  }

  /// The context of the next attempt in the requested layout.
  public func context(problem: SCoReProblem, previousAttempts: [String], layout: SCoRePromptLayout) -> Prompt
  {
    switch layout {
    case .chat: return .chat(chatContext(problem: problem, previousAttempts: previousAttempts))
    case .text: return .text(textContext(problem: problem, previousAttempts: previousAttempts))
    }
  }
}

/// The literal prompt texts of [P] Appendix C.
public enum SCoRePromptText {
  public static let mathFirstTurn =
    "You are a math expert. When you respond, respond only with the Solution of the final Problem, "
    + "thinking step by step. At the end of the Solution, when you give your final answer, write it in "
    + "the form \"Final Answer: The final answer is $answer$. I hope it is correct.\""

  public static let mathCorrection =
    "There might be an error in the solution above because of lack of understanding of the question. "
    + "Please correct the error, if any, and rewrite the solution. Only output the final solution! At the "
    + "end of the Solution, when you give your final answer, write it in the form \"Final Answer: The final "
    + "answer is $answer$. I hope it is correct.\""

  /// MBPP / HumanEval self-correction instruction, written as a Python comment.
  public static let codeCorrection =
    "# There might be an error in the code above because of lack of understanding of the question. "
    + "Please correct the error, if any, and rewrite the solution. Only output the final correct Python program!"
}
