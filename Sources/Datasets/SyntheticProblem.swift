/// Synthetic task families for CPU-scale S²R and SCoRe experiments: problems short enough for a
/// character-level transformer with a ~256-character context, with exact integer answers.
///
/// *Pair pick* (the demo's default) is where checking is easier than solving: finding the one pair
/// of list numbers that sums to T is a search over all pairs, while checking an attempt is one
/// one-digit addition of the attempt's own numbers and a comparison with T. Arithmetic and equations
/// (the control) are checked by redoing the work from the problem, which is no easier than solving.
///
/// Grammar of pair pick (difficulty d = 1…3: d + 3 distinct numbers in 1…9; exactly one pair sums to T):
///
///     problem      := "L=" n (" " n){d+2} ";T=" t                  e.g. "L=7 2 9 3 1;T=11"
///     solution     := a "+" b ". \boxed{" a b "}"                   a < b, the pair
///     answer       := the two digits, smaller first, as one integer  e.g. 29
///     verification := "Check: T=" t ", " a "+" b "=" s ", " t "-" s "=" (t-s) (", same." | ", not same.") verdict
///                   | "Check: " n " is not in the list." verdict     (a digit of the answer is not in L)
///                   | "Check: " v " is not a pair in order." verdict (not two digits, smaller first)
///
/// Example: "L=7 2 9 3 1;T=11" (answer 29): "2+9. \boxed{29}"; a wrong pick
/// "2+7. \boxed{27}" is verified "Check: T=11, 2+7=9, 11-9=2, not same. Therefore, the answer is incorrect."
///
/// *Pair mark* has pair pick's problems, answers and verifications; only the attempt differs:
///
///     solution     := "L=" the list ", \boxed{" the list with every number but the pair's written "." "}"
///                     e.g. "L=7 2 9 3 1, \boxed{. 2 9 . .}" (a wrong one: "L=7 2 9 3 1, \boxed{7 2 . . .}")
///
/// Why: in pair pick the model's commonest slip was a number not in the list ("3+8" for T = 11
/// with no 3 in L: a search that stops at T − a), which the check — arithmetic on the attempt's own
/// numbers — cannot see. Marking copies numbers out of L, so a slip is a wrong pair of list numbers,
/// whose sum the check does see.
///
/// *Index pick* has pair pick's lists and targets, each number labelled by its position (a, b, c, …),
/// and is answered by the labels:
///
///     problem      := "L=" l n (" " l n){d+2} ";T=" t          e.g. "L=a7 b2 c9 d3 e1;T=11"
///     solution     := i "+" j ". \boxed{" i j "}"                i < j labels, e.g. "b+c. \boxed{bc}"
///     answer       := the two positions, smaller first, as one integer   e.g. 23
///     verification := "Check: " i "=" a ", " j "=" b ", T=" t ", " a "+" b "=" s ", " t "-" s "=" (t-s)
///                     (", same." | ", not same.") verdict
///
/// Why: every label the model can write names a list number, so pair pick's commonest slip (a
/// number not in L) cannot occur, and the check's extra steps are look-ups that always find what
/// they look for ("b=" → the number written after b in L), where every
/// membership check tried on pair pick ("3 is not in L") had to detect an absence and failed.
///
/// *Anchor pick* has pair pick's problems and answers; the attempt writes an anchor from the list and
/// T minus it, and the check copies the list with the attempt's numbers blanked:
///
///     solution     := a ", " t "-" a "=" b ". \boxed{" min(a,b) max(a,b) "}"   a: the anchor
///     copy         := "L=" L with every number equal to a or b written "."
///     verification := "Check: " copy ", T=" t ", " x "+" y "=" s ", " t "-" s "=" (t-s) (", same." | ", not same.") verdict
///                                                                 (both numbers in L: two blanks)
///                   | "Check: " copy ", not same." verdict       (fewer blanks: a number not in L)
///                   | "Check: " v " is not a pair in order." verdict
///
/// Example: "L=7 2 9 3 1;T=11": "2, 11-2=9. \boxed{29}" is verified "Check: L=7 . . 3 1, T=11, 2+9=11,
/// 11-11=0, same. Therefore, the answer is correct."; the anchor slip "7, 11-7=4. \boxed{47}" (4 is
/// not in L) "Check: L=. 2 9 3 1, not same. Therefore, the answer is incorrect."
///
/// Why: pair pick's commonest slip — a number not in L — is invisible to a sum check, and every check
/// that asked "is 8 in L?" failed with the 0.8 M model: the digit asked about is always present in
/// context (in the attempt), so the look-up always found it. The blanked copy turns the question
/// around: each list number is compared with the attempt's two boxed numbers, and counting blanks
/// replaces detecting an absence. Writing the anchor gives a rejected attempt something to change:
/// an off-list slip means the anchor is not in the pair, so a retry with another anchor is right
/// about half the time (Docs/reproduction.md, session 21).
///
/// Grammar of arithmetic and equations (difficulty = number of operators for arithmetic, 1–4; 1–2 for
/// equations):
///
///     arithmetic problem := n (op n){d} "=?"             n ∈ 1…20, op ∈ {+,-,*}   e.g. "7+8*3-5=?"
///     equation problem   := [a] "x" ("+"|"-") b "=" c    a ∈ 2…9 (d=2) or 1 (d=1)  e.g. "3x+7=22"
///     solution           := (step ". ")* "\boxed{" ans "}"
///       arithmetic step  := l op r "=" v   (every * first, left to right; then + and -, left to right)
///       equation steps   := [a] "x=" c ("-"|"+") |b| "=" k "." [" x=" k "/" a "=" x "."]
///     verification       := "Check: " work (", same as " | ", not ") target ". " verdict
///       arithmetic work  := the correct steps recomputed, ", "-separated; target = the answer
///       equation work    := [a "*"] ans ("+"|"-") |b| "=" value (substitution); target = c
///     verdict            := "Therefore, the answer is correct." | "Therefore, the answer is incorrect."
///
/// The verdicts are S²R's fixed closing sentences (spec s2r.md §2.2, parsed by §4.3's
/// `Therefore, the answer is (.+?)\.`); 33 and 35 characters, not counted in the length budget
/// (problem ≤ 30, solution ≤ 60, verification ≤ 70 characters).
///
/// Worked example, "7+8*3-5=?" (answer 26): solution "8*3=24. 7+24=31. 31-5=26. \boxed{26}"; the
/// precedence slip gives "7+8=15. 15*3=45. 45-5=40. \boxed{40}"; verifying 40 gives
/// "Check: 8*3=24, 7+24=31, 31-5=26, not 40. Therefore, the answer is incorrect."
/// Equation "3x+7=22" (answer 5): "3x=22-7=15. x=15/3=5. \boxed{5}"; verifying 5 gives
/// "Check: 3*5+7=22, same as 22. Therefore, the answer is correct."
public enum SyntheticKind: String, Codable, Sendable, CaseIterable {
  case arithmetic
  case linearEquation
  case pairPick
  /// Pair pick answered by marking: the attempt copies the list, blanking all but the pair
  /// ("L=7 2 9 3 1, \boxed{. 2 9 . .}"), so every well-formed answer is a pair of list numbers and no slip can
  /// dodge the check (grammar above).
  case pairMark
  /// Pair pick over labelled numbers, answered by the labels ("L=a7 b2 c9 d3 e1;T=11" → "b+c.
  /// \boxed{bc}"): every answer names list entries, and the check looks each label's number up
  /// (grammar above).
  case indexPick
  /// Pair pick written as an anchor and its complement ("2, 11-2=9. \boxed{29}") and checked by a
  /// copy of the list with the pick blanked, which sees off-list slips (grammar above).
  case anchorPick
}

public struct SyntheticProblem: Codable, Sendable, Hashable {
  public var kind: SyntheticKind
  public var difficulty: Int
  /// Arithmetic: operands and operators (`ops.count == operands.count - 1`).
  /// Equation: `[a, b, c]` for `a·x + b = c` (b may be negative); `ops` is empty.
  /// Pair pick: the list, then T (`[7, 2, 9, 3, 1, 11]`); `ops` is empty.
  public var operands: [Int]
  public var ops: [String]

  public init(kind: SyntheticKind, difficulty: Int, operands: [Int], ops: [String]) {
    self.kind = kind
    self.difficulty = difficulty
    self.operands = operands
    self.ops = ops
  }

  /// The problem statement, e.g. "7+8*3-5=?" or "3x+7=22".
  public var text: String {
    switch kind {
    case .arithmetic:
      var s = String(operands[0])
      for (op, n) in zip(ops, operands.dropFirst()) { s += op + String(n) }
      return s + "=?"
    case .linearEquation:
      let (a, b, c) = (operands[0], operands[1], operands[2])
      return (a == 1 ? "" : String(a)) + "x" + (b < 0 ? "-" : "+") + String(abs(b)) + "=" + String(c)
    case .pairPick, .pairMark, .anchorPick:
      return "L=" + operands.dropLast().map(String.init).joined(separator: " ") + ";T="
        + String(operands.last!)
    case .indexPick:
      let labelled = operands.dropLast().enumerated().map {
        SyntheticTask.label($0.offset + 1) + String($0.element)
      }
      return "L=" + labelled.joined(separator: " ") + ";T=" + String(operands.last!)
    }
  }

  /// The exact answer.
  public var answer: Int {
    switch kind {
    case .arithmetic: return SyntheticTask.evaluate(operands, ops, leftToRight: false).value
    case .linearEquation: return (operands[2] - operands[1]) / operands[0]
    case .pairPick, .pairMark, .indexPick, .anchorPick:
      // The first pair (of numbers, or of positions for index pick) that sums to T; generated
      // problems have exactly one.
      return SyntheticTask.pairCodes(self).first { SyntheticTask.pairSum(self, $0) == operands.last! } ?? -1
    }
  }
}
