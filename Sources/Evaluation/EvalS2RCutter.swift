import Foundation
import Generation
import Rollouts
import Verifiers

/// A self-verifying response after S²R's stopping rule, cut into attempts and verifications.
public struct EvalS2RResponse: Sendable, Equatable {
  /// The kept response text.
  public var text: String
  public var stopReason: S2RStopReason
  /// Attempt texts in order, and the verification written after each (nil when none follows).
  public var attempts: [String]
  public var verifications: [String?]
}

/// Applies S²R's inference-time stopping rule (s2r.md §1: stop once the model's own verification
/// says "correct", or when a retry would exceed the attempts budget) to a response text, so any
/// text backend can be evaluated with it.
///
/// The response is generated once up to the token budget and then cut where incremental generation
/// would have stopped. Generation is causal and each request has its own seed, so the kept prefix
/// is exactly what stop-and-go decoding produces; only the discarded tail costs extra compute.
/// The cut reuses `S2RSelfVerification.decide` and `S2RActionParser` on UTF-8 bytes as "tokens",
/// with the marker texts as byte sequences (consecutive identical markers merge, as in RL).
///
/// Example (SFT markers, maxAttempts 2): `"A \boxed{3}" + CHECK + "Therefore, the answer is
/// incorrect." + RETRY + "B \boxed{4}" + CHECK + "Therefore, the answer is correct." + RETRY + "C"`
/// → kept through the second verification, `verifiedCorrect`, attempts ["A \boxed{3}", "B \boxed{4}"].
public struct EvalS2RCutter: Sendable {
  public var maxAttempts: Int
  public var markers: EvalS2RMarkerStyle

  public init(maxAttempts: Int, markers: EvalS2RMarkerStyle) {
    self.maxAttempts = maxAttempts
    self.markers = markers
  }

  public func cut(_ text: String, finishReason: FinishReason) -> EvalS2RResponse {
    let (check, retry) = markers.texts
    let bytes = Array(text.utf8).map(Int.init)
    let parser = S2RActionParser(
      markers: S2RMarkers(
        check: [Array(check.utf8).map(Int.init)], retry: [Array(retry.utf8).map(Int.init)], stopIDs: [],
        checkText: check, retryText: retry))
    let decider = S2RSelfVerification(
      parser: parser, budget: S2RInferenceBudget(maxAttempts: max(1, maxAttempts), maxTokens: Int.max))
    let decode: ([Int]) -> String = { String(decoding: $0.map { UInt8($0) }, as: UTF8.self) }
    let decision = decider.decide(response: bytes, decode: decode)
    let kept = Array(bytes.prefix(decision.keep))
    let reason =
      decision.reason ?? (finishReason == .length ? S2RStopReason.tokenBudget : S2RStopReason.endOfSequence)
    var attempts: [String] = []
    var verifications: [String?] = []
    for action in parser.parse(kept).actions {
      let piece = decode(Array(kept[action.tokenRange]))
      switch action.kind {
      case .solve:
        attempts.append(piece)
        verifications.append(nil)
      case .verify:
        if !verifications.isEmpty, verifications[verifications.count - 1] == nil {
          verifications[verifications.count - 1] = piece
        }
      case .marker: break
      }
    }
    return EvalS2RResponse(
      text: decode(kept), stopReason: reason, attempts: attempts, verifications: verifications)
  }
}
