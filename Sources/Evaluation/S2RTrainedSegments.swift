import Rollouts
import Verifiers

/// One stretch of an S²R trajectory that SFT trains: `target` is trained, `context` (the prompt and
/// everything the answer says before the target) is only conditioned on.
public struct S2RTrainedSegment: Sendable, Equatable {
  public var context: String
  public var target: String
  /// The segment holds the end of the response (the last attempt's verification and any template
  /// tail such as `<|im_end|>\n`): the end-of-sequence token belongs to it.
  public var isEnd: Bool

  public init(context: String, target: String, isEnd: Bool) {
    self.context = context
    self.target = target
    self.isEnd = isEnd
  }
}

/// S²R's SFT mask δ (paper eq. 1; s2r.md §2.4, §3.2) on the *text* of an example, cut into one
/// (context, target) pair per maximal trained stretch, so that a framework's completion-only loss
/// on these rows trains what Recheck's own SFT (`S2RDeltaMask` on tokens) trains, each token once.
///
/// Trained: every check marker with the verification after it, the retry marker in front of the
/// last attempt, the last attempt, and the end (anything from the first `<|im_end|>` on). Not
/// trained: the prompt, earlier attempts, and the retry markers in front of them. Markers are the
/// SFT strings (`S2RTrajectory.checkMarker`, `.retryMarker`, or either with a leading space) matched
/// left to right like `S2RActionParser` with repeated markers merged; matching runs on UTF-8 bytes,
/// which for a character tokenizer gives the same cuts as token matching.
///
/// Unlike official `split_data` (which emits k + 1 overlapping examples and moves one token across
/// each cut), the stretches here are disjoint: the union of targets is exactly δ = 1.
///
/// Example: answer `s1 C v1 R s2 C v2` (C check marker, R retry marker) →
/// [(prompt+s1, "C v1", false), (prompt+s1 C v1, "R s2 C v2", true)].
public enum S2RTrainedSegments {
  /// The text that ends a templated response (ChatML); it and everything after it are trained.
  public static let endOfTurn = "<|im_end|>"

  public static func segments(prompt: String, answer: String) -> [S2RTrainedSegment] {
    let bytes = Array(answer.utf8)
    let end = firstIndex(of: Array(endOfTurn.utf8), in: bytes) ?? bytes.count
    let parser = S2RActionParser(markers: byteMarkers)
    let parsed = parser.parse(bytes[..<end].map(Int.init))
    var trained = parsed.deltaTrained + [Bool](repeating: false, count: bytes.count - parsed.responseEnd)
    for b in end..<bytes.count { trained[b] = true }

    var out: [S2RTrainedSegment] = []
    var b = 0
    while b < bytes.count {
      guard trained[b] else {
        b += 1
        continue
      }
      var e = b
      while e < bytes.count && trained[e] { e += 1 }
      out.append(
        S2RTrainedSegment(
          context: prompt + String(decoding: bytes[..<b], as: UTF8.self),
          target: String(decoding: bytes[b..<e], as: UTF8.self), isEnd: e == bytes.count))
      b = e
    }
    if out.isEmpty || !out[out.count - 1].isEnd {
      // An answer whose trained text is empty (nothing after a cut at its very end) still ends:
      // an empty end segment carries the end-of-sequence token.
      out.append(S2RTrainedSegment(context: prompt + answer, target: "", isEnd: true))
    }
    return out
  }

  /// The SFT markers as UTF-8 byte ids, in the variants `S2RMarkers(tokenizer:style: .sft, …)`
  /// builds for a character tokenizer (the marker alone and with a leading space).
  static let byteMarkers: S2RMarkers = {
    func ids(_ s: String) -> [Int] { s.utf8.map(Int.init) }
    let c = S2RTrajectory.checkMarker
    let r = S2RTrajectory.retryMarker
    return S2RMarkers(
      check: [ids(c), ids(" " + c)], retry: [ids(r), ids(" " + r)], stopIDs: [], checkText: c, retryText: r)
  }()

  static func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
    guard !needle.isEmpty, needle.count <= hay.count else { return nil }
    for i in 0...(hay.count - needle.count) where hay[i..<(i + needle.count)].elementsEqual(needle) {
      return i
    }
    return nil
  }
}
