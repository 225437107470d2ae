/// One token sequence to train on: `weights[i]` is the loss weight of predicting `tokens[i]`
/// from `tokens[..<i]` (so `weights[0]` is ignored — nothing predicts the first token).
/// Prompt tokens get weight 0; S²R's δ-mask and SCoRe's "train turn 2 only" are weights too.
public struct TrainingSequence: Codable, Sendable, Equatable {
  public var tokens: [Int]
  public var weights: [Float]

  public init(tokens: [Int], weights: [Float]) {
    precondition(
      tokens.count == weights.count, "TrainingSequence: \(tokens.count) tokens, \(weights.count) weights")
    self.tokens = tokens
    self.weights = weights
  }

  /// Prompt (weight 0) followed by a completion (weight 1 on every token).
  public init(prompt: [Int], completion: [Int]) {
    tokens = prompt + completion
    weights = [Float](repeating: 0, count: prompt.count) + [Float](repeating: 1, count: completion.count)
  }

  /// Keeps the last `maxLength` tokens (left truncation, as the S²R collator does).
  public func truncated(to maxLength: Int) -> TrainingSequence {
    guard tokens.count > maxLength else { return self }
    return TrainingSequence(
      tokens: Array(tokens.suffix(maxLength)), weights: Array(weights.suffix(maxLength)))
  }
}
