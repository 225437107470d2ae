/// What an S²R action is (spec §1): an attempt, a verification, or the marker tokens between them.
public enum S2RActionKind: String, Sendable, Codable, Equatable {
  case solve, verify, marker
}

/// One action of a rollout: a contiguous span of response tokens.
public struct S2RAction: Sendable, Codable, Equatable {
  public var kind: S2RActionKind
  /// Positions in the response ids (not counting the prompt).
  public var tokenRange: Range<Int>
  /// Loss part of the official process-level code (spec §4.2): s1 → 1, v1 → 3, s2 → 5, v2 → 7, …
  /// (content action number n, counted from 0, gets 2n + 1); every marker gets 0.
  public var partIndex: Int
  /// For markers: which one.
  public var marker: S2RMarkerKind?

  public init(kind: S2RActionKind, tokenRange: Range<Int>, partIndex: Int, marker: S2RMarkerKind? = nil) {
    self.kind = kind
    self.tokenRange = tokenRange
    self.partIndex = partIndex
    self.marker = marker
  }
}

/// A response cut into actions.
public struct S2RParsedResponse: Sendable, Codable, Equatable {
  /// Actions in order; their ranges tile `0..<responseEnd` exactly.
  public var actions: [S2RAction]
  /// Index of the first stop id, or the response length when there is none.
  public var responseEnd: Int
  /// Whether a stop id ended the response (false: truncated by the length limit).
  public var stopped: Bool
  /// Actions tile the response, content kinds alternate solve, verify, solve, … starting with a
  /// solve, and no content action is empty. Invalid rows get loss weight 0 in process-level RL.
  public var isValid: Bool

  public init(actions: [S2RAction], responseEnd: Int, stopped: Bool, isValid: Bool) {
    self.actions = actions
    self.responseEnd = responseEnd
    self.stopped = stopped
    self.isValid = isValid
  }

  public var truncated: Bool { !stopped }

  /// Which of the response's first `responseEnd` tokens S²R's SFT mask δ trains (spec §3.2): every
  /// verification with the check marker in front of it, and the final attempt with the retry marker
  /// in front of it; earlier attempts and their retry markers are context. The one statement of the
  /// rule: `S2RDeltaMask` (Recheck's SFT) and `S2RTrainedSegments` (framework exports) both read it.
  /// Example (one token each, k = check, r = retry): s1 k v1 r s2 k v2 r s3 → F T T F F T T T T.
  public var deltaTrained: [Bool] {
    var trained = [Bool](repeating: false, count: responseEnd)
    let lastSolve = actions.lastIndex { $0.kind == .solve }
    for (i, a) in actions.enumerated() {
      let on: Bool
      switch a.kind {
      case .verify: on = true
      case .solve: on = i == lastSolve
      // A retry marker belongs to the attempt after it; a check marker to its verification.
      case .marker: on = a.marker == .check || i + 1 == lastSolve
      }
      if on { for t in a.tokenRange where t < responseEnd { trained[t] = true } }
    }
    return trained
  }
  /// Content actions only (markers dropped).
  public var contentActions: [S2RAction] { actions.filter { $0.kind != .marker } }
  /// Number of solve actions.
  public var attemptCount: Int { actions.count { $0.kind == .solve } }
}

/// Cuts S²R responses into actions on token ids (spec §4.2, fix of §9.6).
///
/// Markers are matched as exact id subsequences starting at token positions — never on joined id
/// strings, where `"14_11"` would match inside `"114_117"`. Matching is greedy left to right,
/// longest variant first, non-overlapping. The response is cut at the first stop id.
///
/// Process-level rule "consecutive identical markers merge" (`mergeRepeatedMarkers`, on by
/// default): after a check marker, further check markers are ordinary content until a retry marker
/// has appeared, and vice versa; so a `"Wait,"` inside a verification does not open a new one. The
/// official outcome-level path does not merge; it only reads the last attempt, whose last box is the
/// same either way unless a retry marker repeats (then the merged attempt spans both texts and its
/// last box is still the later one). We merge on both paths so every consumer sees one structure.
///
/// Example: markers check = [[7]], retry = [[8]], stop = [0]; ids `[1, 2, 7, 3, 7, 4, 8, 5, 0, 9]` →
/// solve 0..<2 (part 1), marker 2..<3, verify 3..<6 (part 3; the second 7 merged into it),
/// marker 6..<7, solve 7..<8 (part 5); responseEnd 8, stopped, valid.
public struct S2RActionParser: Sendable {
  public var markers: S2RMarkers
  public var mergeRepeatedMarkers: Bool

  public init(markers: S2RMarkers, mergeRepeatedMarkers: Bool = true) {
    self.markers = markers
    self.mergeRepeatedMarkers = mergeRepeatedMarkers
  }

  /// A marker occurrence: which marker, and its token span.
  public struct Occurrence: Sendable, Equatable {
    public var kind: S2RMarkerKind
    public var range: Range<Int>
    public init(kind: S2RMarkerKind, range: Range<Int>) {
      self.kind = kind
      self.range = range
    }
  }

  /// Parses response ids (the prompt excluded).
  public func parse(_ ids: [Int]) -> S2RParsedResponse {
    let end = ids.firstIndex { markers.stopIDs.contains($0) } ?? ids.count
    var found: [Occurrence] = []
    var i = 0
    scan: while i < end {
      for (kind, variants) in [(S2RMarkerKind.check, markers.check), (.retry, markers.retry)] {
        for v in variants where i + v.count <= end && ids[i..<(i + v.count)].elementsEqual(v) {
          found.append(Occurrence(kind: kind, range: i..<(i + v.count)))
          i += v.count
          continue scan
        }
      }
      i += 1
    }
    return assemble(found, responseEnd: end, stopped: end < ids.count)
  }

  /// Builds actions from marker occurrences (sorted, non-overlapping, inside `0..<responseEnd`).
  public func assemble(_ occurrences: [Occurrence], responseEnd: Int, stopped: Bool) -> S2RParsedResponse {
    var kept: [Occurrence] = []
    for o in occurrences {
      if mergeRepeatedMarkers, let last = kept.last, last.kind == o.kind { continue }
      kept.append(o)
    }
    var actions: [S2RAction] = []
    var start = 0
    var kind = S2RActionKind.solve
    var content = 0
    for o in kept {
      actions.append(
        S2RAction(kind: kind, tokenRange: start..<o.range.lowerBound, partIndex: 2 * content + 1))
      content += 1
      actions.append(S2RAction(kind: .marker, tokenRange: o.range, partIndex: 0, marker: o.kind))
      kind = o.kind == .check ? .verify : .solve
      start = o.range.upperBound
    }
    actions.append(S2RAction(kind: kind, tokenRange: start..<responseEnd, partIndex: 2 * content + 1))
    return S2RParsedResponse(
      actions: actions, responseEnd: responseEnd, stopped: stopped,
      isValid: Self.validate(actions, responseEnd: responseEnd))
  }

  static func validate(_ actions: [S2RAction], responseEnd: Int) -> Bool {
    var at = 0
    for a in actions {
      guard a.tokenRange.lowerBound == at else { return false }
      at = a.tokenRange.upperBound
    }
    guard at == responseEnd else { return false }
    let content = actions.filter { $0.kind != .marker }
    for (n, a) in content.enumerated() {
      if a.tokenRange.isEmpty || a.kind != (n % 2 == 0 ? .solve : .verify) { return false }
    }
    return true
  }
}
