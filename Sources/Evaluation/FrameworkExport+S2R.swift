import Rollouts
import Tokenizers

/// S²R SFT rows: one per trained segment (s2r.md §2.4; `S2RTrainedSegments`).
extension FrameworkExport {
  /// The rows of one example.
  ///
  /// - TRL string rows (default): `{prompt, completion, end, id, segment, weight}` per segment. TRL's
  ///   SFTTrainer appends its EOS to every string completion that does not end with it, which is
  ///   right for the `end` row only; `recheck_sft_dataset` in `Examples/recheck_reward_shim.py`
  ///   tokenises the rows with EOS on `end` rows only (a pre-tokenised dataset TRL uses as is). A
  ///   final `<|im_end|>\n` loses its `\n`, so TRL does not add a second end-of-turn after it.
  /// - TRL conversational, verl: a chat template renders the reply whole, so only examples trained
  ///   throughout (no wrong attempt) fit. OpenRLHF `{input, output}`: its SFTDataset ends every row
  ///   with " " + EOS, so examples with one trained segment (≤ 1 wrong attempt, kept in `input`)
  ///   fit. Others are refused (`ExportError.maskedSegments`).
  public static func sftRows(_ e: S2RSFTExample, format: ExportFormat, conversational: Bool = false) throws
    -> [[String: Any]]
  {
    let segments = S2RTrainedSegments.segments(prompt: e.prompt, answer: e.answer)
    let weight = e.weight ?? 1
    if format == .trl && !conversational {
      return segments.enumerated().map { i, s in
        var completion = s.target
        if s.isEnd && completion.hasSuffix(S2RTrainedSegments.endOfTurn + "\n") { completion.removeLast() }
        return [
          "prompt": s.context, "completion": completion, "end": s.isEnd, "id": e.id, "segment": i,
          "weight": weight,
        ]
      }
    }
    switch format {
    case .trl, .verl:
      // A chat template renders the assistant reply whole: only an answer trained throughout fits.
      guard segments.count == 1, segments[0].context == e.prompt else {
        throw ExportError.maskedSegments(id: e.id, format: format == .trl ? "trl --conversational" : "verl")
      }
      let (head, reply) = conversation(e)
      if format == .trl { return [["prompt": messages(head), "completion": messages([.assistant(reply)])]] }
      return [
        [
          "messages": messages(head + [.assistant(reply)]),
          "extra_info": ["id": e.id, "wrong_attempts": e.wrongAttempts, "weight": weight],
        ]
      ]
    case .openrlhf:
      // SFTDataset appends " " + EOS to every row and trains it: right for the end segment only, so
      // an example with one trained segment (at most one wrong attempt, kept as context) fits.
      guard segments.count == 1 else { throw ExportError.maskedSegments(id: e.id, format: "openrlhf") }
      return [["input": segments[0].context, "output": segments[0].target]]
    }
  }

  /// The messages of an example: recovered from ChatML, or for a plain-text example (Recheck's
  /// synthetic data: prompt = problem + "\n") the prompt as one user message without its final
  /// newline, which the chat template supplies.
  static func conversation(_ e: S2RSFTExample) -> ([ChatMessage], String) {
    if let chat = chatML(prompt: e.prompt, answer: e.answer) { return chat }
    var user = e.prompt
    if user.hasSuffix("\n") { user.removeLast() }
    return ([.user(user)], e.answer)
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
}
