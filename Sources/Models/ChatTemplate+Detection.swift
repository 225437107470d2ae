import Tokenizers

// Picking a named `ChatTemplate` for a model from its Jinja chat template (GGUF
// `tokenizer.chat_template`, or `chat_template` in a Hugging Face tokenizer_config.json). Recheck
// renders templates natively instead of running Jinja, so the source is only inspected for the
// markers that identify each format.

extension ChatTemplate {
  /// The named format whose output `jinja` produces:
  /// - Llama-3 headers (`<|start_header_id|>` … `<|eot_id|>`) → `.llama3`;
  /// - ChatML (`<|im_start|>`) that inserts SmolLM's default system prompt → `.smolLM2`;
  /// - any other ChatML → `.chatML(defaultSystemPrompt: nil)`;
  /// - no template, or one not recognised → `.plain`.
  ///
  /// Example: `"{% for m in messages %}{{'<|im_start|>' + m['role'] + …"` → `.chatML(nil)`.
  public init(detectingFrom jinja: String?) {
    guard let jinja, !jinja.isEmpty else {
      self = .plain
      return
    }
    if jinja.contains("<|start_header_id|>") && jinja.contains("<|eot_id|>") {
      self = .llama3
    } else if jinja.contains("<|im_start|>") {
      self =
        jinja.contains(ChatTemplate.smolLM2DefaultSystemPrompt)
        ? .smolLM2 : .chatML(defaultSystemPrompt: nil)
    } else {
      self = .plain
    }
  }
}
