// Finds added/special tokens (e.g. `<|im_start|>`) in raw text before pre-tokenization, so they are
// never split by BPE. Leftmost-longest, like HF tokenizers' AddedVocabulary; llama.cpp scans per
// token longest-first, which gives the same split unless two special tokens overlap.

/// A byte trie over added tokens' UTF-8 text.
struct AddedTokenMatcher: Sendable {
  struct Entry: Sendable {
    var id: Int32
    var special: Bool  // matched only when special parsing is on
    var lstrip: Bool  // swallow whitespace before the token (HF `lstrip`)
    var rstrip: Bool  // swallow whitespace after the token (HF `rstrip`)
  }

  /// One match: byte range of the token itself and of the whitespace it swallows.
  struct Match {
    var entry: Entry
    var start: Int  // first byte, after lstrip
    var end: Int  // one past the last byte, after rstrip
  }

  private var children: [[UInt8: Int32]] = [[:]]
  private var terminal: [Entry?] = [nil]
  private var firstBytes = [Bool](repeating: false, count: 256)

  var isEmpty: Bool { terminal.count == 1 }

  mutating func insert(_ text: String, _ entry: Entry) {
    var node = 0
    for b in text.utf8 {
      if let next = children[node][b] {
        node = Int(next)
      } else {
        children.append([:])
        terminal.append(nil)
        children[node][b] = Int32(children.count - 1)
        node = children.count - 1
      }
    }
    guard node != 0 else { return }
    terminal[node] = entry
    firstBytes[Int(text.utf8.first!)] = true
  }

  /// Longest allowed token starting at `pos`, as (entry, end).
  private func longest(_ bytes: UnsafeBufferPointer<UInt8>, at pos: Int, parseSpecial: Bool) -> (Entry, Int)?
  {
    var node = 0
    var best: (Entry, Int)?
    var i = pos
    while i < bytes.count, let next = children[node][bytes[i]] {
      node = Int(next)
      i += 1
      if let e = terminal[node], parseSpecial || !e.special { best = (e, i) }
    }
    return best
  }

  /// All matches in `bytes`, left to right, non-overlapping.
  func matches(in bytes: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Match] {
    var out: [Match] = []
    if isEmpty { return out }
    var pos = 0
    var consumedUpTo = 0  // lstrip may not reach back into a previous match
    while pos < bytes.count {
      guard firstBytes[Int(bytes[pos])],
        let (entry, end) = longest(bytes, at: pos, parseSpecial: parseSpecial)
      else {
        pos += 1
        continue
      }
      var start = pos
      if entry.lstrip {
        while start > consumedUpTo && isASCIIWhitespace(bytes[start - 1]) { start -= 1 }
      }
      var stop = end
      if entry.rstrip {
        while stop < bytes.count && isASCIIWhitespace(bytes[stop]) { stop += 1 }
      }
      out.append(Match(entry: entry, start: start, end: stop))
      pos = stop
      consumedUpTo = stop
    }
    return out
  }

  @inline(__always)
  private func isASCIIWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
}
