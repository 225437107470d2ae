import Foundation

/// The grade of one (reference, response) pair: what `AnswerExtractor` read from each side and
/// which rule decided. `extracted*` are nil when nothing could be read; then `equivalent` is false
/// and `rule` is `no-answer`.
public struct MathGrade: Sendable, Equatable {
  public var reference: String
  public var answer: String
  public var equivalent: Bool
  public var rule: String
  public var extractedReference: String?
  public var extractedAnswer: String?
  public var referenceSource: AnswerSource?
  public var answerSource: AnswerSource?

  public init(
    reference: String, answer: String, equivalent: Bool, rule: String, extractedReference: String?,
    extractedAnswer: String?, referenceSource: AnswerSource? = nil, answerSource: AnswerSource? = nil
  ) {
    self.reference = reference
    self.answer = answer
    self.equivalent = equivalent
    self.rule = rule
    self.extractedReference = extractedReference
    self.extractedAnswer = extractedAnswer
    self.referenceSource = referenceSource
    self.answerSource = answerSource
  }

  public var verdict: MathVerdict { MathVerdict(equivalent: equivalent, rule: rule) }
}
