import Foundation

/// Pulls the program out of a code response (SCoRe spec §5.2 [OURS]): the text between the last
/// `[BEGIN]` and the `[DONE]` after it (MBPP's 3-shot format), else the last fenced code block
/// (an info string such as `python` is dropped), else the whole response.
///
/// Example: `extract("x\n```python\nprint(1)\n```\n")` is `(program: "print(1)\n", delimited: true)`.
public enum ProgramExtractor {
  /// The program, and whether it came from explicit delimiters (the response followed the format).
  public static func extract(_ response: String) -> (program: String, delimited: Bool) {
    if let begin = response.range(of: "[BEGIN]", options: .backwards) {
      let rest = response[begin.upperBound...]
      let end = rest.range(of: "[DONE]")?.lowerBound ?? rest.endIndex
      return (stripFences(String(rest[..<end])), true)
    }
    if let block = lastFencedBlock(response) { return (block, true) }
    return (response, false)
  }

  /// Contents of the last complete ``` fenced block, without its info string.
  static func lastFencedBlock(_ text: String) -> String? {
    let parts = text.components(separatedBy: "```")
    // Fenced blocks are the odd-numbered parts; an unclosed last fence leaves an even count.
    guard parts.count >= 3 else { return nil }
    let lastClosed = parts.count % 2 == 1 ? parts.count - 2 : parts.count - 3
    guard lastClosed >= 1 else { return nil }
    return dropInfoString(parts[lastClosed])
  }

  /// `[BEGIN]` bodies are sometimes fenced too: keep the inside of the fence.
  static func stripFences(_ body: String) -> String {
    lastFencedBlock(body) ?? body
  }

  static func dropInfoString(_ block: String) -> String {
    guard let newline = block.firstIndex(of: "\n") else { return block }
    let info = block[..<newline].trimmingCharacters(in: .whitespaces)
    // An info string is one word (`python`, `py3`); anything else is already code.
    if info.isEmpty || info.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "+" }) {
      return String(block[block.index(after: newline)...])
    }
    return block
  }
}
