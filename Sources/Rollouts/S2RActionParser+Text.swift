import Tokenizers

extension S2RActionParser {
  /// Parses response ids by finding the marker *texts* in the decoded bytes, for tokenizers whose
  /// marker tokenisation depends on the context (a BPE that merges `"\n\nWait"` into one token, or
  /// `","` with a following newline). Gives the same `S2RParsedResponse` as `parse(_:)`.
  ///
  /// A text occurrence becomes a marker when the parts of its first and last tokens that lie outside
  /// the marker text are whitespace only; those whole tokens become marker tokens (so a merged
  /// `"\n\nWait"` token counts as marker, and `"xWait,"` inside one token never does). Limitation:
  /// an occurrence glued to non-whitespace inside a token is not a marker at all, and a marker string
  /// that a model writes as ordinary prose (a genuine "Wait," in a solution) is still taken as a
  /// marker — the same behaviour as the official code (spec §9.6).
  ///
  /// Example: tokens `["ab", "\n\nWait", ",", " no"]` with check text "Wait," → solve 0..<1,
  /// marker 1..<3, verify 3..<4.
  public func parseText(_ ids: [Int], tokenizer: some Tokenizer) -> S2RParsedResponse {
    let end = ids.firstIndex { markers.stopIDs.contains($0) } ?? ids.count
    var bytes: [UInt8] = []
    var tokenEnd: [Int] = []  // byte offset where token i ends
    for id in ids[..<end] {
      bytes += tokenizer.decodeBytes([id], skipSpecial: false)
      tokenEnd.append(bytes.count)
    }
    func token(containing byte: Int) -> Int {
      var lo = 0
      var hi = tokenEnd.count - 1
      while lo < hi {
        let mid = (lo + hi) / 2
        if tokenEnd[mid] > byte { hi = mid } else { lo = mid + 1 }
      }
      return lo
    }
    func isSpace(_ r: Range<Int>) -> Bool {
      r.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains(bytes[$0]) }
    }
    let texts: [(S2RMarkerKind, [UInt8])] = [
      (.check, Array(markers.checkText.utf8)), (.retry, Array(markers.retryText.utf8)),
    ]
    var found: [Occurrence] = []
    var b = 0
    scan: while b < bytes.count {
      for (kind, t) in texts where !t.isEmpty && b + t.count <= bytes.count {
        guard bytes[b..<(b + t.count)].elementsEqual(t) else { continue }
        let first = token(containing: b)
        let last = token(containing: b + t.count - 1)
        let firstStart = first == 0 ? 0 : tokenEnd[first - 1]
        guard isSpace(firstStart..<b), isSpace((b + t.count)..<tokenEnd[last]) else { continue }
        if let prev = found.last, prev.range.upperBound > first { continue }
        found.append(Occurrence(kind: kind, range: first..<(last + 1)))
        b = tokenEnd[last]
        continue scan
      }
      b += 1
    }
    return assemble(found, responseEnd: end, stopped: end < ids.count)
  }
}
