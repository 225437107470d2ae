// Chat templates as named Swift formats (not a Jinja engine). Each reproduces the model's own
// Jinja template string-for-string:
//  - ChatML (SmolLM2-Instruct, Qwen): `<|im_start|>{role}\n{content}<|im_end|>\n`, generation
//    prompt `<|im_start|>assistant\n`. SmolLM2's template (GGUF `tokenizer.chat_template`) inserts
//    the system turn "You are a helpful AI assistant named SmolLM, trained by Hugging Face" when the
//    first message is not a system message.
//  - Llama-3 Instruct: `<|begin_of_text|>` then `<|start_header_id|>{role}<|end_header_id|>\n\n`
//    `{content, trimmed}<|eot_id|>` per message; prompt `<|start_header_id|>assistant<|end_header_id|>\n\n`.
//  - Plain: "Role: content" blocks separated by blank lines, for base models and char-level tasks.

/// One turn of a conversation.
public struct ChatMessage: Sendable, Codable, Hashable {
  public var role: String
  public var content: String
  public init(role: String, content: String) {
    self.role = role
    self.content = content
  }
  public static func system(_ c: String) -> ChatMessage { ChatMessage(role: "system", content: c) }
  public static func user(_ c: String) -> ChatMessage { ChatMessage(role: "user", content: c) }
  public static func assistant(_ c: String) -> ChatMessage { ChatMessage(role: "assistant", content: c) }
}

/// A named chat format.
public enum ChatTemplate: Sendable, Codable, Hashable {
  /// ChatML; `defaultSystemPrompt` is inserted when the conversation has no leading system turn.
  case chatML(defaultSystemPrompt: String?)
  case llama3
  case plain

  public static let smolLM2DefaultSystemPrompt =
    "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
  /// SmolLM2-Instruct's template.
  public static let smolLM2 = ChatTemplate.chatML(defaultSystemPrompt: smolLM2DefaultSystemPrompt)

  /// Looks a template up by config name: "chatml", "smollm2", "llama3", "plain".
  public init(named name: String) throws {
    switch name.lowercased() {
    case "chatml": self = .chatML(defaultSystemPrompt: nil)
    case "smollm2", "smollm": self = .smolLM2
    case "llama3", "llama-3": self = .llama3
    case "plain": self = .plain
    default: throw TokenizerError.unknownTemplate(name)
    }
  }

  /// The text that ends an assistant turn (generation stops on its token).
  public var endOfTurn: String {
    switch self {
    case .chatML: return "<|im_end|>"
    case .llama3: return "<|eot_id|>"
    case .plain: return "\n\n"
    }
  }

  /// Renders `messages`; with `addGenerationPrompt` the text ends where the assistant's reply starts.
  /// Example (`.chatML(defaultSystemPrompt: nil)`, [user "Hi"], prompt on):
  /// `"<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"`.
  public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
    var s = ""
    switch self {
    case .chatML(let defaultSystem):
      if let defaultSystem, messages.first?.role != "system" {
        s += "<|im_start|>system\n\(defaultSystem)<|im_end|>\n"
      }
      for m in messages { s += "<|im_start|>\(m.role)\n\(m.content)<|im_end|>\n" }
      if addGenerationPrompt { s += "<|im_start|>assistant\n" }
    case .llama3:
      s += "<|begin_of_text|>"
      for m in messages {
        s += "<|start_header_id|>\(m.role)<|end_header_id|>\n\n\(Self.jinjaTrim(m.content))<|eot_id|>"
      }
      if addGenerationPrompt { s += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
    case .plain:
      for m in messages { s += "\(Self.capitalized(m.role)): \(m.content)\n\n" }
      if addGenerationPrompt { s += "Assistant:" }
    }
    return s
  }

  /// Jinja's `trim`: strips leading and trailing whitespace.
  static func jinjaTrim(_ s: String) -> String {
    let u = s.unicodeScalars
    guard let first = u.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    let last = u.lastIndex(where: { !$0.properties.isWhitespace })!
    return String(u[first...last])
  }

  static func capitalized(_ role: String) -> String { role.prefix(1).uppercased() + role.dropFirst() }
}
