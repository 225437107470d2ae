import Foundation

/// Decides whether a model's final answer is mathematically equivalent to a reference answer.
///
/// Rules, in order: exact string → normalised string (`MathNormalizer`) → structure
/// (`MathAnswerForm`: tuples/intervals with their end types, sets and bare lists order-free,
/// unions, matrices, equations, percentages) → expressions compared exactly as (Gaussian)
/// rationals, else numerically at a relative tolerance, else — with free variables — at seeded
/// random points. Every step is size- and time-bounded and nothing traps on any input.
///
/// Example: `MathGrader.equivalent(reference: "\\frac{1}{2}", answer: "0.5")` is
/// `MathVerdict(equivalent: true, rule: "rational")`; `reference: "[1,2)", answer: "[1,2]"` is false.
public enum MathGrader {
  public static func equivalent(
    reference: String, answer: String, options: MathGraderOptions = MathGraderOptions()
  ) -> MathVerdict {
    let a = answer.trimmingCharacters(in: .whitespacesAndNewlines)
    if a.isEmpty { return MathVerdict(equivalent: false, rule: "empty-answer") }
    if a == reference.trimmingCharacters(in: .whitespacesAndNewlines) {
      return MathVerdict(equivalent: true, rule: "exact-string")
    }
    let nr = MathNormalizer.normalize(reference)
    let na = MathNormalizer.normalize(a)
    if MathNormalizer.compactKey(nr) == MathNormalizer.compactKey(na) {
      return MathVerdict(equivalent: true, rule: "normalized-string")
    }
    guard nr.utf8.count <= 2000, na.utf8.count <= 2000 else {
      return MathVerdict(equivalent: false, rule: "not-equivalent")
    }
    var cmp = MathFormComparator(options: options)
    if let rule = cmp.compare(MathAnswerForm.parse(nr), MathAnswerForm.parse(na)) {
      return MathVerdict(equivalent: true, rule: rule)
    }
    return MathVerdict(equivalent: false, rule: "not-equivalent")
  }
}
