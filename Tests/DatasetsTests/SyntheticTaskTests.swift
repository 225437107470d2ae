import XCTest

@testable import Datasets

final class SyntheticTaskTests: XCTestCase {
  func testSplitMix64MatchesReference() {
    // First outputs of Vigna's splitmix64.c for seed 0.
    var g = SeededGenerator(seed: 0)
    XCTAssertEqual(g.next(), 0xE220_A839_7B1D_CDAF)
    XCTAssertEqual(g.next(), 0x6E78_9E6A_A1B9_65F4)
  }

  func testHandComputedExamples() {
    let p = SyntheticProblem(kind: .arithmetic, difficulty: 3, operands: [7, 8, 3, 5], ops: ["+", "*", "-"])
    XCTAssertEqual(p.text, "7+8*3-5=?")
    XCTAssertEqual(p.answer, 26)
    XCTAssertEqual(SyntheticTask.solution(for: p), "8*3=24. 7+24=31. 31-5=26. \\boxed{26}")
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 40),
      "Check: 8*3=24, 7+24=31, 31-5=26, not 40. Therefore, the answer is incorrect.")
    XCTAssertEqual(SyntheticTask.evaluate(p.operands, p.ops, leftToRight: true).value, 40)
    let e = SyntheticProblem(kind: .linearEquation, difficulty: 2, operands: [3, 7, 22], ops: [])
    XCTAssertEqual(e.text, "3x+7=22")
    XCTAssertEqual(e.answer, 5)
    XCTAssertEqual(SyntheticTask.solution(for: e), "3x=22-7=15. x=15/3=5. \\boxed{5}")
    XCTAssertEqual(
      SyntheticTask.verification(for: e, answer: 5),
      "Check: 3*5+7=22, same as 22. Therefore, the answer is correct.")
    let n = SyntheticProblem(kind: .linearEquation, difficulty: 1, operands: [1, -4, 9], ops: [])
    XCTAssertEqual(n.text, "x-4=9")
    XCTAssertEqual(SyntheticTask.solution(for: n), "x=9+4=13. \\boxed{13}")
  }

  func testPairPickHandComputed() {
    let p = SyntheticProblem(kind: .pairPick, difficulty: 2, operands: [7, 2, 9, 3, 1, 11], ops: [])
    XCTAssertEqual(p.text, "L=7 2 9 3 1;T=11")
    XCTAssertEqual(p.answer, 29)
    XCTAssertEqual(SyntheticTask.solution(for: p), "2+9. \\boxed{29}")
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 29),
      "Check: T=11, 2+9=11, 11-11=0, same. Therefore, the answer is correct.")
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 27),
      "Check: T=11, 2+7=9, 11-9=2, not same. Therefore, the answer is incorrect.")
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 56),
      "Check: 5 is not in the list. Therefore, the answer is incorrect.")
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 92),
      "Check: 92 is not a pair in order. Therefore, the answer is incorrect.")
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 7),
      "Check: 7 is not a pair in order. Therefore, the answer is incorrect.")
    XCTAssertFalse(SyntheticTask.check(p, answer: 92))
  }

  func testIndexPickHandComputed() {
    // "L=a7 b2 c9 d3 e1;T=11": b (2) + c (9) = 11 is the one pair, so the answer is positions 2, 3.
    let p = SyntheticProblem(kind: .indexPick, difficulty: 2, operands: [7, 2, 9, 3, 1, 11], ops: [])
    XCTAssertEqual(p.text, "L=a7 b2 c9 d3 e1;T=11")
    XCTAssertEqual(p.answer, 23)
    XCTAssertEqual(SyntheticTask.solution(for: p), "b+c. \\boxed{bc}")
    XCTAssertEqual(SyntheticTask.boxedAnswer(in: SyntheticTask.solution(for: p)), 23)
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 23),
      "Check: b=2, c=9, T=11, 2+9=11, 11-11=0, same. Therefore, the answer is correct.")
    // a (7) + b (2) = 9: the look-ups find the list's numbers, the sum misses T by 2.
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 12),
      "Check: a=7, b=2, T=11, 7+2=9, 11-9=2, not same. Therefore, the answer is incorrect.")
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 36),
      "Check: f is not in the list. Therefore, the answer is incorrect.")
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 32),
      "Check: cb is not a pair in order. Therefore, the answer is incorrect.")
    // Digits in the box are no labels: 17 names position 7, past every list, and is called no pair.
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 17),
      "Check: 17 is not a pair in order. Therefore, the answer is incorrect.")
    XCTAssertEqual(SyntheticTask.boxedAnswer(in: "\\boxed{cb}"), 32)  // read as written, called out of order
    XCTAssertEqual(SyntheticTask.answer(boxContent: "ae"), 15)
    XCTAssertNil(SyntheticTask.boxedAnswer(in: "\\boxed{bz}"))
    XCTAssertEqual(SyntheticTask.boxedAnswer(in: "\\boxed{29}"), 29)  // integers as before
    // Wrong solutions name another pair of positions whose numbers miss T, never the answer.
    var rng = SeededGenerator(seed: 3)
    for _ in 0..<50 {
      let (text, v) = SyntheticTask.wrongSolution(for: p, using: &rng)
      XCTAssertNotEqual(v, 23)
      XCTAssertTrue(SyntheticTask.pairCodes(p).contains(v), text)
      XCTAssertEqual(SyntheticTask.boxedAnswer(in: text), v)
    }
    // Generated problems: one pair of positions sums to T, and their text round-trips the labels.
    for d in 1...3 {
      let q = SyntheticTask.problem(kind: .indexPick, difficulty: d, using: &rng)
      let list = Array(q.operands.dropLast())
      let hits = SyntheticTask.pairCodes(q).filter {
        list[$0 / 10 - 1] + list[$0 % 10 - 1] == q.operands.last
      }
      XCTAssertEqual(hits, [q.answer])
      XCTAssertTrue(q.text.hasPrefix("L=a\(list[0]) b\(list[1])"), q.text)
    }
  }

  func testPairMarkHandComputed() {
    let p = SyntheticProblem(kind: .pairMark, difficulty: 2, operands: [7, 2, 9, 3, 1, 11], ops: [])
    XCTAssertEqual(p.text, "L=7 2 9 3 1;T=11")
    XCTAssertEqual(p.answer, 29)
    XCTAssertEqual(SyntheticTask.solution(for: p), "L=7 2 9 3 1, \\boxed{. 2 9 . .}")
    XCTAssertEqual(
      SyntheticTask.verification(for: p, answer: 29),
      "Check: T=11, 2+9=11, 11-11=0, same. Therefore, the answer is correct.")
    // The answer is the pair left in the box, smaller first, wherever the list holds it.
    let q = SyntheticProblem(kind: .pairMark, difficulty: 2, operands: [9, 4, 2, 6, 5, 8], ops: [])
    XCTAssertEqual(q.answer, 26)
    XCTAssertEqual(SyntheticTask.solution(for: q), "L=9 4 2 6 5, \\boxed{. . 2 6 .}")
    XCTAssertEqual(SyntheticTask.mark(q, 49), "L=9 4 2 6 5, \\boxed{9 4 . . .}")
    XCTAssertEqual(SyntheticTask.boxedAnswer(in: "x \\boxed{9 . . . 5}"), 59)
    // Not exactly two distinct one-digit numbers among the blanks: no answer.
    for bad in [
      "\\boxed{9 . . . .}", "\\boxed{9 4 2 . .}", "\\boxed{12 4 .}", "\\boxed{4 4 .}", "\\boxed{0 4 .}",
      "\\boxed{x 4 .}", "\\boxed{9 4 .. .}", "\\boxed{9  4 .}",
    ] {
      XCTAssertNil(SyntheticTask.boxedAnswer(in: bad), bad)
    }
    XCTAssertEqual(SyntheticTask.boxedAnswer(in: "\\boxed{29}"), 29)  // integers as before
    // What S²R's action parser hands the graders: the box's content.
    XCTAssertEqual(SyntheticTask.answer(boxContent: ". 2 9 . ."), 29)
    XCTAssertEqual(SyntheticTask.answer(boxContent: "-12"), -12)
  }

  /// Pair mark's wrong solutions copy the list keeping exactly two of its numbers in place (that
  /// pair is the answer) and are checked by their sum — never by "not in the list".
  func testPairMarkSlipsAreListPairs() {
    var rng = SeededGenerator(seed: 3)
    for _ in 0..<300 {
      let p = SyntheticTask.problem(kind: .pairMark, difficulty: 2, using: &rng)
      let wrong = SyntheticTask.wrongSolution(for: p, using: &rng)
      let list = p.operands.dropLast()
      let head = "L=" + list.map(String.init).joined(separator: " ") + ", \\boxed{"
      XCTAssertTrue(wrong.text.hasPrefix(head) && wrong.text.hasSuffix("}"), wrong.text)
      let items = wrong.text.dropFirst(head.count).dropLast().split(separator: " ").map(String.init)
      XCTAssertEqual(items.count, list.count)
      for (item, n) in zip(items, list) { XCTAssertTrue(item == "." || item == "\(n)", wrong.text) }
      let kept = items.compactMap { Int($0) }.sorted()
      XCTAssertEqual(kept.count, 2, wrong.text)
      XCTAssertEqual(10 * kept[0] + kept[1], wrong.answer, wrong.text)
      XCTAssertTrue(SyntheticTask.verification(for: p, answer: wrong.answer).hasPrefix("Check: T="))
    }
  }

  func testAnchorPickHandComputed() {
    let p = SyntheticProblem(kind: .anchorPick, difficulty: 2, operands: [7, 2, 9, 3, 1, 11], ops: [])
    XCTAssertEqual(p.text, "L=7 2 9 3 1;T=11")
    XCTAssertEqual(p.answer, 29)
    // The anchor is the pair's number that comes first in L (2 before 9), then T minus it.
    XCTAssertEqual(SyntheticTask.solution(for: p), "2, 11-2=9. \\boxed{29}")
    // Verification work per answer (each followed by its verdict sentence). Off the list: 8 is not
    // in L, so one blank (for 3) and the check stops; 56: no blank at all.
    let work: [(answer: Int, check: String, right: Bool)] = [
      (29, "Check: L=7 . . 3 1, T=11, 2+9=11, 11-11=0, same.", true),
      (27, "Check: L=. . 9 3 1, T=11, 2+7=9, 11-9=2, not same.", false),
      (38, "Check: L=7 2 9 . 1, not same.", false),
      (56, "Check: L=7 2 9 3 1, not same.", false),
      (92, "Check: 92 is not a pair in order.", false),
    ]
    for w in work {
      let verdict = w.right ? SyntheticTask.correctVerdict : SyntheticTask.incorrectVerdict
      XCTAssertEqual(SyntheticTask.verification(for: p, answer: w.answer), w.check + " " + verdict)
    }
    // Attempts for other pairs: the anchor first in L, or the one in L.
    XCTAssertEqual(SyntheticTask.anchoredPick(p, 27, anchor: nil), "7, 11-7=2. \\boxed{27}")
    XCTAssertEqual(SyntheticTask.anchoredPick(p, 38, anchor: nil), "3, 11-3=8. \\boxed{38}")
    XCTAssertEqual(SyntheticTask.anchoredPick(p, 47, anchor: nil), "7, 11-7=4. \\boxed{47}")
  }

  /// Anchor pick's slips: a third are a wrong anchor (a list number a and T − a, not in L), the rest
  /// another pair of the list; the check blanks exactly the pick's list numbers.
  func testAnchorPickSlipsAndBlankedChecks() {
    var rng = SeededGenerator(seed: 5)
    var offList = 0
    let n = 600
    for _ in 0..<n {
      let p = SyntheticTask.problem(kind: .anchorPick, difficulty: 2, using: &rng)
      let list = Array(p.operands.dropLast())
      let t = p.operands.last!
      let wrong = SyntheticTask.wrongSolution(for: p, using: &rng)
      let (a, b) = (wrong.answer / 10, wrong.answer % 10)
      XCTAssertLessThan(a, b, wrong.text)
      let inList = [a, b].filter(list.contains)
      let anchor =
        inList.count == 1 ? inList[0] : list.firstIndex(of: a)! < list.firstIndex(of: b)! ? a : b
      let other = anchor == a ? b : a
      XCTAssertEqual(wrong.text, "\(anchor), \(t)-\(anchor)=\(other). \\boxed{\(wrong.answer)}")
      let check = SyntheticTask.checkWork(for: p, answer: wrong.answer)
      // Blanks sit exactly where the list holds a or b.
      let copy = check.dropFirst("Check: L=".count).prefix(2 * list.count - 1)
      let expected = list.map { $0 == a || $0 == b ? "." : "\($0)" }.joined(separator: " ")
      XCTAssertEqual(String(copy), expected, check)
      if inList.count == 2 {
        let sum = a + b
        XCTAssertTrue(check.hasSuffix(", T=\(t), \(a)+\(b)=\(sum), \(t)-\(sum)=\(t - sum), not same."), check)
      } else {
        offList += 1
        XCTAssertEqual(inList.count, 1, check)  // the slip keeps one list number a and writes T − a
        XCTAssertEqual(a + b, t, check)
        XCTAssertEqual(check, "Check: L=\(expected), not same.")
      }
    }
    // About a third (fewer where no list number has an off-list complement).
    XCTAssertGreaterThan(offList, n / 5)
    XCTAssertLessThan(offList, n / 2)
  }

  /// The off-list share: 0 gives only pairs of the list, 1 an off-list pick wherever the list has a
  /// number whose complement is absent, and 1/3 the draws of the default (same texts, same stream).
  func testAnchorPickOffListShare() {
    var rng = SeededGenerator(seed: 9)
    let problems = (0..<300).map { _ in SyntheticTask.problem(kind: .anchorPick, difficulty: 2, using: &rng) }
    func hasOffListAnchor(_ p: SyntheticProblem) -> Bool {
      let list = p.operands.dropLast()
      let t = p.operands.last!
      return list.contains { a in (1...9).contains(t - a) && t - a != a && !list.contains(t - a) }
    }
    func isOffList(_ p: SyntheticProblem, _ answer: Int) -> Bool {
      let list = p.operands.dropLast()
      return !(list.contains(answer / 10) && list.contains(answer % 10))
    }
    for (share, expectAll) in [(0.0, false), (1.0, true)] {
      var r = SeededGenerator(seed: 3)
      for p in problems {
        let wrong = SyntheticTask.wrongSolution(for: p, offListShare: share, using: &r)
        XCTAssertEqual(isOffList(p, wrong.answer), expectAll && hasOffListAnchor(p), "\(share) \(wrong.text)")
      }
    }
    var (r1, r2) = (SeededGenerator(seed: 4), SeededGenerator(seed: 4))
    for p in problems {
      let a = SyntheticTask.wrongSolution(for: p, using: &r1)
      let b = SyntheticTask.wrongSolution(for: p, offListShare: 1.0 / 3, using: &r2)
      XCTAssertEqual(a.text, b.text)
    }
    XCTAssertEqual(r1.next(), r2.next())
    XCTAssertGreaterThan(problems.filter(hasOffListAnchor).count, 200)  // the share has room to act
  }

  /// Every generated pair-pick problem has distinct one-digit numbers, d + 3 of them, and exactly one
  /// pair summing to T (counted by brute force over index pairs), which is its answer.
  func testPairPickProblemsHaveOneAnswer() {
    var rng = SeededGenerator(seed: 11)
    var targets = Set<Int>()
    for d in 1...3 {
      for _ in 0..<500 {
        let p = SyntheticTask.problem(kind: .pairPick, difficulty: d, using: &rng)
        let list = Array(p.operands.dropLast())
        let t = p.operands.last!
        XCTAssertEqual(list.count, d + 3)
        XCTAssertEqual(Set(list).count, list.count)
        XCTAssertTrue(list.allSatisfy { (1...9).contains($0) })
        var found: [Int] = []
        for i in list.indices {
          for j in list.indices where i < j && list[i] + list[j] == t {
            found.append(10 * min(list[i], list[j]) + max(list[i], list[j]))
          }
        }
        XCTAssertEqual(found, [p.answer], p.text)
        targets.insert(t)
      }
    }
    XCTAssertGreaterThan(targets.count, 10)  // T is not stuck on a few values
  }

  func testDeterminism() {
    for kind in SyntheticKind.allCases {
      var a = SeededGenerator(seed: 42)
      var b = SeededGenerator(seed: 42)
      let pa = (0..<50).map { _ in SyntheticTask.problem(kind: kind, difficulty: 3, using: &a) }
      let pb = (0..<50).map { _ in SyntheticTask.problem(kind: kind, difficulty: 3, using: &b) }
      XCTAssertEqual(pa, pb)
      var c = SeededGenerator(seed: 43)
      let pc = (0..<50).map { _ in SyntheticTask.problem(kind: kind, difficulty: 3, using: &c) }
      XCTAssertNotEqual(pa, pc)
    }
  }

  func testSolutionsWrongSolutionsVerificationsAndLengths() {
    var rng = SeededGenerator(seed: 7)
    for kind in SyntheticKind.allCases {
      for difficulty in 1...4 {
        for _ in 0..<300 {
          let p = SyntheticTask.problem(kind: kind, difficulty: difficulty, using: &rng)
          let solution = SyntheticTask.solution(for: p)
          XCTAssertEqual(SyntheticTask.boxedAnswer(in: solution), p.answer, solution)
          XCTAssertEqual(p.answer, independentAnswer(p), p.text)
          XCTAssertTrue(SyntheticTask.check(p, answer: p.answer))
          let wrong = SyntheticTask.wrongSolution(for: p, using: &rng)
          XCTAssertNotEqual(wrong.answer, p.answer, wrong.text)
          XCTAssertEqual(SyntheticTask.boxedAnswer(in: wrong.text), wrong.answer)
          XCTAssertFalse(SyntheticTask.check(p, answer: wrong.answer))
          let good = SyntheticTask.verification(for: p, answer: p.answer)
          let bad = SyntheticTask.verification(for: p, answer: wrong.answer)
          XCTAssertTrue(good.hasSuffix(" " + SyntheticTask.correctVerdict), good)
          XCTAssertTrue(bad.hasSuffix(" " + SyntheticTask.incorrectVerdict), bad)
          XCTAssertLessThanOrEqual(p.text.count, 30, p.text)
          XCTAssertLessThanOrEqual(solution.count, 60, solution)
          XCTAssertLessThanOrEqual(wrong.text.count, 60, wrong.text)
          XCTAssertLessThanOrEqual(good.count - SyntheticTask.correctVerdict.count - 1, 70, good)
          XCTAssertLessThanOrEqual(bad.count - SyntheticTask.incorrectVerdict.count - 1, 70, bad)
        }
      }
    }
  }

  func testTrainAndHeldOutAreDisjoint() {
    let (train, heldOut) = SyntheticTask.split(
      kind: .arithmetic, difficulties: 1...3, trainCount: 2000, heldOutCount: 300, seed: 1)
    XCTAssertEqual(train.count, 2000)
    XCTAssertEqual(heldOut.count, 300)
    XCTAssertTrue(Set(train.map(\.text)).isDisjoint(with: Set(heldOut.map(\.text))))
    let again = SyntheticTask.split(
      kind: .arithmetic, difficulties: 1...3, trainCount: 2000, heldOutCount: 300, seed: 1)
    XCTAssertEqual(again.train, train)
  }

  /// Reference evaluation written independently: standard precedence via two passes over the tokens.
  func independentAnswer(_ p: SyntheticProblem) -> Int {
    if p.kind == .pairPick || p.kind == .pairMark || p.kind == .anchorPick {
      let list = p.operands.dropLast()
      let t = p.operands.last!
      return list.flatMap { a in list.filter { a < $0 && a + $0 == t }.map { 10 * a + $0 } }.first ?? Int.min
    }
    if p.kind == .indexPick {
      let list = Array(p.operands.dropLast())
      let t = p.operands.last!
      for i in list.indices {
        for j in list.indices where i < j && list[i] + list[j] == t { return 10 * (i + 1) + j + 1 }
      }
      return Int.min
    }
    if p.kind == .linearEquation {
      return (1...100).first { p.operands[0] * $0 + p.operands[1] == p.operands[2] } ?? Int.min
    }
    var terms: [Int] = [p.operands[0]]
    var signs: [Int] = [1]
    for (op, n) in zip(p.ops, p.operands.dropFirst()) {
      if op == "*" {
        terms[terms.count - 1] *= n
      } else {
        terms.append(n)
        signs.append(op == "+" ? 1 : -1)
      }
    }
    return zip(terms, signs).reduce(0) { $0 + $1.0 * $1.1 }
  }
}
