import Foundation

/// What `recheck data synth` generates: `count` problems from one seed, each of a kind drawn uniformly
/// from `kinds` and a difficulty drawn uniformly from `minDifficulty…maxDifficulty` (clamped per kind
/// by `SyntheticTask.problem`).
public struct SyntheticDatasetConfig: Codable, Sendable, Equatable {
  public var count: Int
  public var seed: UInt64
  public var kinds: [SyntheticKind]
  public var minDifficulty: Int
  public var maxDifficulty: Int

  public init(
    count: Int, seed: UInt64, kinds: [SyntheticKind] = [.arithmetic], minDifficulty: Int = 1,
    maxDifficulty: Int = 4
  ) {
    self.count = count
    self.seed = seed
    self.kinds = kinds
    self.minDifficulty = minDifficulty
    self.maxDifficulty = maxDifficulty
  }
}

/// Synthetic problems as JSONL, one object per line, keys sorted:
///
///     {"answer":"26","difficulty":3,"id":"synthetic-1","kind":"arithmetic","operands":[7,8,3,5],
///      "ops":["+","*","-"],"problem":"7+8*3-5=?"}
///
/// `kind`, `difficulty`, `operands` and `ops` define the problem; `problem` and `answer` are written for
/// people and other tools, and on reading they must agree with the recomputed text and answer, so a
/// hand-edited line cannot silently change meaning. `DatasetLoader` reads these files as format
/// `synthetic`.
public enum SyntheticDatasetFile {
  /// The problems `config` describes; a pure function of the config.
  public static func generate(_ config: SyntheticDatasetConfig) -> [SyntheticProblem] {
    var rng = SeededGenerator(seed: config.seed)
    let kinds = config.kinds.isEmpty ? [SyntheticKind.arithmetic] : config.kinds
    let lo = min(config.minDifficulty, config.maxDifficulty)
    let hi = max(config.minDifficulty, config.maxDifficulty)
    return (0..<max(0, config.count)).map { _ in
      let kind = kinds[Int.random(in: 0..<kinds.count, using: &rng)]
      return SyntheticTask.problem(kind: kind, difficulty: Int.random(in: lo...hi, using: &rng), using: &rng)
    }
  }

  /// One JSONL line (no newline) for `p`.
  public static func encode(_ p: SyntheticProblem, id: String) -> String {
    let line = Line(
      id: id, kind: p.kind, difficulty: p.difficulty, operands: p.operands, ops: p.ops, problem: p.text,
      answer: String(p.answer))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try! encoder.encode(line), as: UTF8.self)
  }

  /// The JSONL text of `problems`, one line each with ids `synthetic-1`, `synthetic-2`, … — what
  /// `recheck data synth` writes (through `AtomicFileWriter`, fsynced: that writer lives in Models,
  /// a layer above this one).
  public static func jsonl(_ problems: [SyntheticProblem]) -> String {
    var text = ""
    for (i, p) in problems.enumerated() { text += encode(p, id: "synthetic-\(i + 1)") + "\n" }
    return text
  }

  /// Reads a file of `jsonl` lines back (malformed lines throw `DatasetError`).
  public static func read(from path: String) throws -> [SyntheticProblem] {
    var problems: [SyntheticProblem] = []
    try JSONLLineReader(path: path).forEach { line in
      if line.text.allSatisfy(\.isWhitespace) { return }
      problems.append(try decode(DatasetRecord(text: line.text, file: path, line: line.number)))
    }
    return problems
  }

  /// The problem on one line, validated: operators and operand counts fit the kind, operands are
  /// within ±1000, the equation's answer is an integer, and `problem`/`answer`, when present, match.
  public static func decode(_ r: DatasetRecord) throws -> SyntheticProblem {
    let kindName = try r.string("kind")
    guard let kind = SyntheticKind(rawValue: kindName) else {
      throw r.error(.badValue(key: "kind", why: "unknown kind \"\(kindName)\""))
    }
    let difficulty = try r.int("difficulty")
    let operands = try r.intList("operands")
    let ops = try r.stringList("ops")
    // Bounds far above what the generator makes (1…20, ≤ 4 operators) that keep every product within
    // Int64, so no line can overflow the evaluator.
    guard operands.allSatisfy({ abs($0) <= 1000 }), ops.count <= 5 else {
      throw r.error(.badValue(key: "operands", why: "at most 6 operands, each within ±1000"))
    }
    switch kind {
    case .arithmetic:
      guard !operands.isEmpty, ops.count == operands.count - 1 else {
        throw r.error(.badValue(key: "ops", why: "need one operator fewer than operands"))
      }
      guard ops.allSatisfy(["+", "-", "*"].contains) else {
        throw r.error(.badValue(key: "ops", why: "operators must be +, - or *"))
      }
    case .linearEquation:
      guard operands.count == 3, ops.isEmpty, operands[0] != 0, (operands[2] - operands[1]) % operands[0] == 0
      else { throw r.error(.badValue(key: "operands", why: "need [a, b, c] with a ≠ 0 and a | c - b")) }
    case .pairPick, .pairMark, .indexPick, .anchorPick:
      let list = operands.dropLast()
      // `picks` needs one-digit numbers, which the conditions before it check first.
      guard list.count >= 2, ops.isEmpty, list.allSatisfy((1...9).contains), Set(list).count == list.count,
        SyntheticTask.picks(list).filter({ SyntheticTask.pickSum($0) == operands.last }).count == 1
      else {
        throw r.error(
          .badValue(
            key: "operands", why: "need distinct one-digit numbers then T, with exactly one pair summing to T"
          ))
      }
    }
    let p = SyntheticProblem(kind: kind, difficulty: difficulty, operands: operands, ops: ops)
    if let text = try r.optionalString("problem"), text != p.text {
      throw r.error(.badValue(key: "problem", why: "\"\(text)\" does not match operands (\"\(p.text)\")"))
    }
    if let answer = try r.optionalStringOrNumber("answer"), answer != String(p.answer) {
      throw r.error(.badValue(key: "answer", why: "\(answer) ≠ \(p.answer), the problem's answer"))
    }
    return p
  }

  struct Line: Codable {
    var id: String
    var kind: SyntheticKind
    var difficulty: Int
    var operands: [Int]
    var ops: [String]
    var problem: String
    var answer: String
  }
}
