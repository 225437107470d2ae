import Foundation

/// Generators over `SyntheticProblem` (grammar and worked example there): problems, correct and
/// plausibly wrong solutions, confirmative verifications, the answer checker and a train/held-out split.
/// All randomness comes from the generator passed in.
public enum SyntheticTask {
  public static let correctVerdict = "Therefore, the answer is correct."
  public static let incorrectVerdict = "Therefore, the answer is incorrect."

  /// A random problem of `kind` and `difficulty` (clamped to 1–4 for arithmetic, 1–2 for equations,
  /// 1–3 for pair pick, whose numbers are always one-digit),
  /// with operands (and the equation's solution) in 1…`maxOperand` — the second difficulty knob: a
  /// tiny model learns one-digit facts in minutes, two-digit products much later.
  public static func problem(
    kind: SyntheticKind, difficulty: Int, maxOperand: Int = 20, operators: [String] = ["+", "-", "*"],
    using rng: inout some RandomNumberGenerator
  ) -> SyntheticProblem {
    let top = max(maxOperand, 2)
    switch kind {
    case .arithmetic:
      let d = min(max(difficulty, 1), 4)
      while true {
        let operands = (0...d).map { _ in Int.random(in: 1...top, using: &rng) }
        let ops = (0..<d).map { _ in operators.randomElement(using: &rng) ?? "+" }
        let p = SyntheticProblem(kind: kind, difficulty: d, operands: operands, ops: ops)
        // Rejection keeps every intermediate (of the slip too) under 1000 and the texts short.
        let steps = evaluate(operands, ops, leftToRight: false).steps
        let slip = evaluate(operands, ops, leftToRight: true).steps
        if (steps + slip).allSatisfy({ abs($0.value) < 1000 }) && solution(for: p).count <= 52 { return p }
      }
    case .linearEquation:
      let d = min(max(difficulty, 1), 2)
      let a = d == 1 ? 1 : Int.random(in: 2...9, using: &rng)
      let x = Int.random(in: 1...top, using: &rng)
      var b = Int.random(in: 1...top, using: &rng)
      if Bool.random(using: &rng) { b = -b }
      return SyntheticProblem(kind: kind, difficulty: d, operands: [a, b, a * x + b], ops: [])
    case .pairPick, .pairMark, .indexPick, .anchorPick:
      let d = min(max(difficulty, 1), 3)
      while true {
        let list = Array((1...9).shuffled(using: &rng).prefix(d + 3))
        var sums: [Int: Int] = [:]
        for v in picks(list) { sums[pickSum(v), default: 0] += 1 }
        // T is a sum that exactly one pair makes, so the answer is unique; drawn uniformly among them.
        let unique = sums.filter { $0.value == 1 }.map(\.key).sorted()
        guard let t = unique.randomElement(using: &rng) else { continue }
        return SyntheticProblem(kind: kind, difficulty: d, operands: list + [t], ops: [])
      }
    }
  }

  /// The correct step-by-step solution, ending in `\boxed{answer}`.
  public static func solution(for p: SyntheticProblem) -> String {
    switch p.kind {
    case .arithmetic: return render(evaluate(p.operands, p.ops, leftToRight: false).steps, answer: p.answer)
    case .linearEquation: return equationSolution(p, shift: 0, divisionSlip: 0, flipSign: false).text
    case .pairPick, .pairMark, .indexPick, .anchorPick: return pairAttempt(p, p.answer)
    }
  }

  /// A plausible wrong solution with one slip (wrong precedence, an arithmetic error in one step that
  /// later steps carry on, a sign error when moving a term) and its boxed answer, always ≠ `p.answer`.
  ///
  /// `offListShare` is anchor pick's share of slips that are a wrong anchor (an off-list pick) where
  /// the list has one; the rest are another pair of the list. It is drawn in thirds — a wrong anchor
  /// when one draw of 0..<3 is below 3 × share (the draw session 21's anchor pick made for its fixed
  /// third), so 1/3 reproduces the runs made before the share was a setting. Other kinds ignore it.
  public static func wrongSolution(
    for p: SyntheticProblem, offListShare: Double = 1.0 / 3,
    using rng: inout some RandomNumberGenerator
  ) -> (text: String, answer: Int) {
    switch p.kind {
    case .arithmetic:
      let slip = evaluate(p.operands, p.ops, leftToRight: true)
      if slip.value != p.answer && Bool.random(using: &rng) {
        return (render(slip.steps, answer: slip.value), slip.value)
      }
      let count = p.ops.count
      var at = Int.random(in: 0..<count, using: &rng)
      let delta = Int.random(in: 1...3, using: &rng) * (Bool.random(using: &rng) ? 1 : -1)
      var wrong = evaluate(p.operands, p.ops, leftToRight: false, errorAt: at, delta: delta)
      if wrong.value == p.answer {
        // The slip was multiplied away (e.g. by 0 later on); a slip in the last step never is.
        at = count - 1
        wrong = evaluate(p.operands, p.ops, leftToRight: false, errorAt: at, delta: delta)
      }
      return (render(wrong.steps, answer: wrong.value), wrong.value)
    case .linearEquation:
      let (a, b, c) = (p.operands[0], p.operands[1], p.operands[2])
      switch Int.random(in: 0..<3, using: &rng) {
      case 0 where (c + b) % a == 0:
        return equationSolution(p, shift: 0, divisionSlip: 0, flipSign: true)
      case 1 where a > 1:
        // Off by `a` in the subtraction, so the division stays exact.
        return equationSolution(p, shift: Bool.random(using: &rng) ? a : -a, divisionSlip: 0, flipSign: false)
      default:
        return equationSolution(p, shift: 0, divisionSlip: Bool.random(using: &rng) ? 1 : -1, flipSign: false)
      }
    case .pairPick, .pairMark, .indexPick, .anchorPick:
      let t = p.operands.last!
      // Anchor pick: `offListShare` of the slips are a wrong anchor — a list number a and T − a,
      // which is not in the list (pair pick's base's commonest slip), so the check's blanked copy
      // learns to keep every number the pick does not share with L.
      if p.kind == .anchorPick, Double(Int.random(in: 0..<3, using: &rng)) < 3 * offListShare - 1e-9 {
        let list = p.operands.dropLast()
        let off = list.filter { a in (1...9).contains(t - a) && t - a != a && !list.contains(t - a) }
        if let a = off.randomElement(using: &rng) {
          let v = 10 * min(a, t - a) + max(a, t - a)
          return (anchoredPick(p, v, anchor: a), v)
        }
      }
      // Another pair of the list: half the time one whose sum is nearest T (the near miss a search
      // that stops early makes), otherwise any.
      let pairs = pairCodes(p).filter { pairSum(p, $0) != t }
      let distance = { (v: Int) in abs(pairSum(p, v) - t) }
      let nearest = pairs.map(distance).min()!
      let pool = Bool.random(using: &rng) ? pairs.filter { distance($0) == nearest } : pairs
      let v = pool.randomElement(using: &rng)!
      return (pairAttempt(p, v), v)
    }
  }

  /// Confirmative verification of `answer` (recomputation for arithmetic, substitution for equations,
  /// the pick's own sum for pair pick), ending in the S²R verdict sentence that matches the truth.
  public static func verification(for p: SyntheticProblem, answer: Int) -> String {
    checkWork(for: p, answer: answer) + " " + (check(p, answer: answer) ? correctVerdict : incorrectVerdict)
  }

  /// The work of `verification` without its verdict sentence, e.g. "Check: 2+7=9, T=11, not same."
  /// (the pre-training corpus's second turns open with it: `SyntheticCorpus.checkInSecondTurn`).
  public static func checkWork(for p: SyntheticProblem, answer: Int) -> String {
    let ok = check(p, answer: answer)
    var work: String
    let target: Int
    switch p.kind {
    case .indexPick:
      // Codes come from labels a…f (1…6) or from a box holding digits ("\boxed{17}"): a digit that is
      // no label makes the answer no pair, as for a reversed one.
      let (i, j) = (answer / 10, answer % 10)
      let named = (1...labels.count).contains(i) && (1...labels.count).contains(j)
      guard named, i < j else {
        return "Check: \(named ? label(i) + label(j) : String(answer)) is not a pair in order."
      }
      let list = Array(p.operands.dropLast())
      if let missing = [i, j].first(where: { $0 > list.count }) {
        return "Check: \(label(missing)) is not in the list."
      }
      // Pair pick's check after two look-ups, each right after its label ("b=" → the number written
      // just after "b" in L), so the sum is of the list's numbers whatever the attempt wrote.
      let (a, b) = (list[i - 1], list[j - 1])
      return "Check: \(label(i))=\(a), \(label(j))=\(b), " + sumCheck(p, a, b, ok: ok)
    case .pairPick, .pairMark, .anchorPick:
      let (a, b) = (answer / 10, answer % 10)
      let list = p.operands.dropLast()
      guard (12...89).contains(answer), a < b else { return "Check: \(answer) is not a pair in order." }
      if p.kind == .anchorPick {
        // The list copied with the pick's numbers blanked; fewer than two blanks means a number is not
        // the list's, and the check stops there.
        let copy = "L=" + list.map { $0 == a || $0 == b ? "." : "\($0)" }.joined(separator: " ")
        guard list.contains(a) && list.contains(b) else { return "Check: \(copy), not same." }
        return "Check: \(copy), " + sumCheck(p, a, b, ok: ok)
      }
      if let missing = [a, b].first(where: { !list.contains($0) }) {
        return "Check: \(missing) is not in the list."
      }
      return "Check: " + sumCheck(p, a, b, ok: ok)
    case .arithmetic:
      work = evaluate(p.operands, p.ops, leftToRight: false).steps.map(\.text).joined(separator: ", ")
      target = answer
    case .linearEquation:
      let (a, b, c) = (p.operands[0], p.operands[1], p.operands[2])
      let x = answer < 0 ? "(\(answer))" : "\(answer)"
      work = (a == 1 ? x : "\(a)*\(x)") + (b < 0 ? "-" : "+") + "\(abs(b))=\(a * answer + b)"
      target = c
    }
    work += ok ? ", same as \(target)." : ", not \(target)."
    return "Check: " + work
  }

  /// The pair tasks' check of the numbers `a` and `b` against T: "T=11, 2+7=9, 11-9=2, not same.".
  /// Each step is one fact or one copy, and the verdict reads one number: T is copied straight after
  /// "T=" as in the prompt, the pair's sum written, and T − sum computed; "same" iff it is 0.
  /// Comparing two numbers directly failed with a 0.8 M model ("…=16, same as 16" copied the nearest
  /// number instead of T; "T=11, 2+7=9, same." called 99 of 120 unequal pairs "same").
  static func sumCheck(_ p: SyntheticProblem, _ a: Int, _ b: Int, ok: Bool) -> String {
    let (t, sum) = (p.operands.last!, a + b)
    return "T=\(t), \(a)+\(b)=\(sum), \(t)-\(sum)=\(t - sum), " + (ok ? "same." : "not same.")
  }

  /// Exact integer comparison with the problem's answer.
  public static func check(_ p: SyntheticProblem, answer: Int) -> Bool { answer == p.answer }

  /// The answer inside the last `\boxed{…}` of `text`, if any (`answer(boxContent:)` of what it holds).
  public static func boxedAnswer(in text: String) -> Int? {
    guard let open = text.range(of: "\\boxed{", options: .backwards),
      let close = text[open.upperBound...].firstIndex(of: "}")
    else { return nil }
    return answer(boxContent: text[open.upperBound..<close])
  }

  /// The answer a box's content stands for: the integer it holds, or for pair mark's blanked list
  /// (". 2 9 . .") its two numbers as pair pick's answer (29: two distinct one-digit numbers,
  /// smaller first; nil for any other count or token), or for index pick's two labels ("bc") their
  /// positions (23, in the order written, so the check can call "cb" out of order). Every synthetic
  /// grader reads answers so; only index-pick models write letters.
  public static func answer(boxContent inner: some StringProtocol) -> Int? {
    let letters = inner.compactMap { c in labels.firstIndex(of: c).map { $0 + 1 } }
    if inner.count == 2, letters.count == 2 { return 10 * letters[0] + letters[1] }
    guard inner.contains(".") else { return Int(inner) }
    let items = inner.split(separator: " ", omittingEmptySubsequences: false)
    let numbers = items.filter { $0 != "." }.map { Int($0) }
    guard numbers.count == 2, let a = numbers[0], let b = numbers[1], a != b, (1...9).contains(a),
      (1...9).contains(b), items.allSatisfy({ $0 == "." || $0.count == 1 })
    else { return nil }
    return 10 * min(a, b) + max(a, b)
  }

  /// Train and held-out problems from one seed, disjoint by problem text: a problem is held out iff the
  /// FNV-1a hash of its text is ≡ 0 (mod `heldOutEvery`), so no text can land on both sides.
  public static func split(
    kind: SyntheticKind, difficulties: ClosedRange<Int>, trainCount: Int, heldOutCount: Int,
    heldOutEvery: UInt64 = 5, maxOperand: Int = 20, operators: [String] = ["+", "-", "*"],
    seed: UInt64
  ) -> (train: [SyntheticProblem], heldOut: [SyntheticProblem]) {
    var rng = SeededGenerator(seed: seed)
    var train: [SyntheticProblem] = []
    var heldOut: [SyntheticProblem] = []
    var attempts = 0
    let maxAttempts = 100 * (trainCount + heldOutCount)
    while (train.count < trainCount || heldOut.count < heldOutCount) && attempts < maxAttempts {
      attempts += 1
      let p = problem(
        kind: kind, difficulty: Int.random(in: difficulties, using: &rng), maxOperand: maxOperand,
        operators: operators, using: &rng)
      if fnv1a(p.text) % heldOutEvery == 0 {
        if heldOut.count < heldOutCount { heldOut.append(p) }
      } else if train.count < trainCount {
        train.append(p)
      }
    }
    return (train, heldOut)
  }

  static func fnv1a(_ s: String) -> UInt64 {
    s.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
  }

  struct Step {
    var text: String
    var value: Int
  }

  /// Evaluates step by step: every `*` first (left to right), then `+`/`-` left to right; or strictly
  /// left to right (the precedence slip). `errorAt`/`delta` add `delta` to one step's result.
  static func evaluate(
    _ operands: [Int], _ ops: [String], leftToRight: Bool, errorAt: Int = -1, delta: Int = 0
  ) -> (value: Int, steps: [Step]) {
    var values = operands
    var symbols = ops
    var steps: [Step] = []
    while !symbols.isEmpty {
      let i = leftToRight ? 0 : (symbols.firstIndex(of: "*") ?? 0)
      let (l, r, op) = (values[i], values[i + 1], symbols[i])
      var v = op == "*" ? l * r : op == "+" ? l + r : l - r
      if steps.count == errorAt { v += delta }
      steps.append(Step(text: "\(l)\(op)\(r)=\(v)", value: v))
      values.replaceSubrange(i...(i + 1), with: [v])
      symbols.remove(at: i)
    }
    return (values[0], steps)
  }

  /// Pair pick's attempt for the pair `v` (smaller digit first): "2+9. \boxed{29}". It does not write
  /// the sum: when a 0.8 M model wrote it ("7+9=16, T=15."), behaviour initialisation made the sum
  /// drift to T (every trained final attempt has sum = T: "7+9=15"), and its checks copied the drift.
  static func pick(_ v: Int) -> String { "\(v / 10)+\(v % 10). \\boxed{\(v)}" }

  /// The attempt naming the pair `v` in `p`'s own layout: pair pick's "2+9. …" or pair mark's blanked list.
  static func pairAttempt(_ p: SyntheticProblem, _ v: Int) -> String {
    switch p.kind {
    case .pairMark: return mark(p, v)
    case .indexPick:
      // Labels only. Seed 1, 0.8 M model, default budgets: the base solves at chance (11.0 % of ten
      // pairs: it must find a number's label before writing anything), but BI's checks, which can
      // only look each label up in L, accept 1.00 of its right and reject 0.96 of its wrong first
      // attempts. Writing the pair's numbers too lets the search run as in pair pick, but the checks
      // then copy the attempt's numbers instead of L's: "2b+9c. \boxed{bc}" (base 25.0 %, BI a 0.60,
      // r 0.78 on its own attempts) and "2+9. \boxed{bc}" (base 10.5 %, BI a 0.39, r 0.79).
      let (i, j) = (label(v / 10), label(v % 10))
      return "\(i)+\(j). \\boxed{\(i)\(j)}"
    case .anchorPick: return anchoredPick(p, v, anchor: nil)
    default: return pick(v)
    }
  }

  /// Anchor pick's attempt: an anchor a from the list, T − a, then the pair boxed, smaller first:
  /// "L=7 2 9 3 1;T=11", 29 → "2, 11-2=9. \boxed{29}". The anchor is the pair's number that comes
  /// first in L (a scan of L) unless `anchor` names it; the other number is written as T − a whatever
  /// it is, so a wrong pair of the list reads as a subtraction slip ("2, 11-2=7. \boxed{27}") and a
  /// wrong anchor as an off-list pick ("7, 11-7=4. \boxed{47}": 4 is not in L).
  ///
  /// Why the anchor is written: with pair pick's attempt ("2+9. \boxed{29}") and the blanked-copy
  /// check, the model's own off-list slips were rejected but not fixed — its retries re-picked the
  /// same pair or another off-list one (seed 1: 5 of 139 retries right, BI +1.5, SCoRe Δ 0.0). An
  /// off-list slip means the anchor is not in the pair, so another anchor is right about half the
  /// time; written out, the anchor is a token a retry can avoid (seeds 1 / 2: BI +5.5 / +19.5).
  static func anchoredPick(_ p: SyntheticProblem, _ v: Int, anchor: Int?) -> String {
    let (x, y) = (v / 10, v % 10)
    let list = Array(p.operands.dropLast())
    let a: Int
    if let anchor {
      a = anchor
    } else {
      switch (list.firstIndex(of: x), list.firstIndex(of: y)) {
      case let (ix?, iy?): a = ix < iy ? x : y
      case (nil, _?): a = y
      default: a = x
      }
    }
    let b = a == x ? y : x
    return "\(a), \(p.operands.last!)-\(a)=\(b). \\boxed{\(v)}"
  }

  /// Index pick's position labels: position 1 is "a" (lists hold at most six numbers).
  static let labels: [Character] = ["a", "b", "c", "d", "e", "f"]

  /// The label of 1-based list position `i`: 2 → "b".
  static func label(_ i: Int) -> String { String(labels[i - 1]) }

  /// Every answer code of a pair task's problem: pair pick's and pair mark's value pairs (`picks`),
  /// index pick's position pairs (12 = "ab", …).
  static func pairCodes(_ p: SyntheticProblem) -> [Int] {
    let list = p.operands.dropLast()
    return p.kind == .indexPick ? picks(Array(1...list.count)) : picks(list)
  }

  /// The sum of the two numbers an answer code names: pair pick's 29 → 11; index pick's 23 → the
  /// numbers at positions 2 and 3.
  static func pairSum(_ p: SyntheticProblem, _ v: Int) -> Int {
    guard p.kind == .indexPick else { return pickSum(v) }
    return p.operands[v / 10 - 1] + p.operands[v % 10 - 1]
  }

  /// Pair mark's attempt for the pair `v` (smaller digit first): the list restated, then copied inside
  /// the box with every number but the pair's blanked to ".".
  /// "L=7 2 9 3 1;T=11", 29 → "L=7 2 9 3 1, \boxed{. 2 9 . .}".
  /// The box *is* the answer (`boxedAnswer` reads its two numbers), and a check reads the pair as the
  /// only numbers in it. Layouts that failed first (seed 1, 0.8 M base):
  /// - the copy, then the pair boxed ("7 2* 9* 3 1. \boxed{29}"): the base learned the box as a solve
  ///   of its own, not a copy of the stars (124 of 200 held-out first attempts boxed another pair than
  ///   they starred, 26 with a number not in the list);
  /// - the starred copy as the answer ("\boxed{7 2* 9* 3 1}"): faithful copies, but the checks wrote
  ///   T − a for the second starred number ("7+8=15" for "6 7* 1 3 9*", T = 16) — which digits carry
  ///   a star is a lookup;
  /// - the blanked copy alone ("\boxed{. 2 9 . .}"): first attempts and checks right (all 200 copies
  ///   aligned with L, every check reading its pair), but second attempts — after a check or an S²R
  ///   retry marker, with earlier boxes in context — broke the copy (BI: 229 of 253 retries put
  ///   numbers where L has others, often T − a), so retries rarely helped. Restating L first puts a
  ///   clean copy at a fixed distance before each box.
  static func mark(_ p: SyntheticProblem, _ v: Int) -> String {
    let pair = [v / 10, v % 10]
    let list = p.operands.dropLast()
    let kept = list.map { pair.contains($0) ? "\($0)" : "." }
    return "L=" + list.map(String.init).joined(separator: " ") + ", \\boxed{" + kept.joined(separator: " ")
      + "}"
  }

  /// Every pick of pair pick's `list` (numbers 1…9): each unordered pair once, smaller number first,
  /// as the two-digit answer 10·a + b, in the order of the sorted list. Example: [7, 2, 9] → [27, 29, 79].
  public static func picks(_ list: some Sequence<Int>) -> [Int] {
    let s = list.sorted()
    return s.indices.flatMap { i in s[(i + 1)...].map { 10 * s[i] + $0 } }
  }

  /// The sum of a pick's two numbers: 29 → 11.
  public static func pickSum(_ v: Int) -> Int { v / 10 + v % 10 }

  static func render(_ steps: [Step], answer: Int) -> String {
    steps.map { $0.text + ". " }.joined() + "\\boxed{\(answer)}"
  }

  /// `ax+b=c` → "ax=c-b=k. x=k/a=x. \boxed{x}" (one step when a = 1), with optional slips: `shift`
  /// added to k, `divisionSlip` added to x, or the sign of b kept when it is moved.
  static func equationSolution(_ p: SyntheticProblem, shift: Int, divisionSlip: Int, flipSign: Bool)
    -> (text: String, answer: Int)
  {
    let (a, b, c) = (p.operands[0], p.operands[1], p.operands[2])
    let moved = flipSign ? -b : b
    let k = c - moved + shift
    let x = k / a + divisionSlip
    let first = (a == 1 ? "x" : "\(a)x") + "=\(c)" + (moved < 0 ? "+\(-moved)" : "-\(moved)") + "=\(k)."
    let text = a == 1 ? first + " \\boxed{\(x)}" : first + " x=\(k)/\(a)=\(x). \\boxed{\(x)}"
    return (text, x)
  }
}
