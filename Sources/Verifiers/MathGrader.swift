import Foundation

/// Decides whether a model's response answers a reference correctly. `grade` is the one grading
/// function of Recheck (`recheck grade math`, `eval`, the reward server and the trainers): it reads
/// the final answer from each side with `AnswerExtractor` (either may be a bare answer, LaTeX in
/// any delimiter, boxes, or a whole worked solution) and compares the two with `equivalent`.
///
/// Rules of `equivalent`, in order: exact string → normalised string (`MathNormalizer`) → structure
/// (`MathAnswerForm`: tuples/intervals with their end types, sets and bare lists order-free,
/// unions, inequalities as intervals, matrices with their arithmetic, equations, percentages) →
/// expressions compared exactly as (Gaussian) rationals, else numerically at a relative tolerance,
/// else — with free variables — at seeded random points. Every step is size- and time-bounded and
/// nothing traps on any input.
///
/// Example: `grade(reference: "5", response: "so \\boxed{5}")` is equivalent by `exact-string` with
/// both extracted answers `"5"`; `equivalent(reference: "[1,2)", answer: "[1,2]")` is false.
public enum MathGrader {
  public static func grade(
    reference: String, response: String, options: MathGraderOptions = MathGraderOptions(),
    extraction: AnswerExtractionOptions = AnswerExtractionOptions()
  ) -> MathGrade {
    let r = AnswerExtractor.extract(reference, options: extraction)
    let a = AnswerExtractor.extract(response, options: extraction)
    guard let r, let a else {
      return MathGrade(
        reference: reference, answer: response, equivalent: false, rule: "no-answer",
        extractedReference: r?.text, extractedAnswer: a?.text, referenceSource: r?.source,
        answerSource: a?.source)
    }
    let v = equivalent(reference: r.text, answer: a.text, options: options)
    return MathGrade(
      reference: reference, answer: response, equivalent: v.equivalent, rule: v.rule,
      extractedReference: r.text, extractedAnswer: a.text, referenceSource: r.source, answerSource: a.source)
  }

  /// Compares two already extracted answers (no extraction; `grade` is the entry point).
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
    if longDecimalMatches(nr, na) || longDecimalMatches(na, nr) {
      return MathVerdict(equivalent: true, rule: "long-decimal")
    }
    return MathVerdict(equivalent: false, rule: "not-equivalent")
  }

  /// Significant digits from which a decimal is read as a printout of an exact value.
  static let longDecimalDigits = 12

  /// `0.0833333333333333` ≡ `\frac{1}{12}`: a decimal literal with at least `longDecimalDigits`
  /// significant digits matches an exact constant (no variables, rational value) when it is that
  /// value rounded to the decimal's last place, or truncated there (a floating-point printout).
  /// `0.0833333333333334` is neither; short decimals stay exact: `0.33 ≠ 1/3`, `0.3333333 ≠ 1/3`.
  static func longDecimalMatches(_ decimal: String, _ other: String) -> Bool {
    let d = decimal.utf8.first == 45 ? decimal.dropFirst() : Substring(decimal)
    guard let dot = d.firstIndex(of: "."), d.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
      d.filter({ $0 == "." }).count == 1
    else { return false }
    let digits = d.filter { $0 != "." }.drop { $0 == "0" }
    let places = d.distance(from: d.index(after: dot), to: d.endIndex)
    guard digits.count >= longDecimalDigits, places <= 40,
      let value = MathRational(decimalLiteral: Substring(decimal)),
      let e = MathExprParser.parse(other), e.variables.isEmpty
    else { return false }
    var ev = MathEvaluator()
    guard let q = ev.eval(e)?.exactReal, let diff = q - value,
      let scaled = diff * (MathRational(10).power(places) ?? .one)
    else { return false }
    // scaled = (q − d)·10^places: rounding gives |scaled| ≤ ½, truncation 0 ≤ scaled·sign(q) < 1.
    let x = scaled.doubleValue
    let sign: Double = q.doubleValue < 0 ? -1 : 1
    return abs(x) <= 0.5 || (x * sign >= 0 && x * sign < 1)
  }
}
