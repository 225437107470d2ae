import Datasets

extension RewardScorer {
  /// Recheck's synthetic tasks (arithmetic, linear equations): right when the last `\boxed{…}`
  /// holds the reference integer — the same rule `SyntheticFormat.score` applies in training and
  /// evaluation, so a framework trained on exported synthetic prompts sees Recheck's rewards.
  ///
  /// Example: answer "15", response "3x=15 so \\boxed{5} … \\boxed{15}" → correct (last box).
  func scoreSynthetic(response: String, label: RewardLabel) throws -> RewardVerdict {
    guard let text = label.answer, let reference = Int(text.trimmingCharacters(in: .whitespaces)) else {
      throw RewardServiceError.badRequest("a synthetic label needs an integer \"answer\"")
    }
    guard let found = SyntheticTask.boxedAnswer(in: response) else {
      return RewardVerdict(
        correct: false, reward: 0, extracted: nil, rule: "no-answer", formatOK: false, extractOK: false,
        timeout: false)
    }
    let correct = found == reference
    return RewardVerdict(
      correct: correct, reward: 0, extracted: String(found), rule: correct ? "integer" : "not-equal",
      formatOK: true, extractOK: true, timeout: false)
  }
}
