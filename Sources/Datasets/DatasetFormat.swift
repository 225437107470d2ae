import Foundation
import Verifiers

/// The JSONL layouts `DatasetLoader` reads, each mapped onto `Problem`:
///
/// | format | keys (optional in brackets) | files |
/// |---|---|---|
/// | math | problem, answer, [solution, level, subject/type, unique_id/id] | MATH, MATH500, AIME24, AMC23 |
/// | gsm8k | question, answer ("… #### n") | GSM8K (Cobbe et al. 2021) |
/// | questionAnswer | question, answer, [id] | Gaokao2023en, College Math |
/// | olympiadBench | question, final_answer (list), [id, subfield, solution list] | OlympiadBench |
/// | humanEval | task_id, prompt, canonical_solution, test, entry_point | HumanEval (Chen et al. 2021) |
/// | mbpp | task_id, text, code, test_list, [test_setup_code] | MBPP (Austin et al. 2021) |
/// | synthetic | kind, difficulty, operands, ops | `SyntheticDatasetFile` |
public enum DatasetFormat: String, Codable, Sendable, CaseIterable {
  case math
  case gsm8k
  case questionAnswer
  case olympiadBench
  case humanEval
  case mbpp
  case synthetic

  /// The format whose keys `record` has, most specific first. GSM8K and the plain question/answer
  /// files share their keys, so the `#### n` marker in the answer tells them apart.
  public static func detect(_ record: DatasetRecord) -> DatasetFormat? {
    let k = record.keys
    if k.isSuperset(of: ["kind", "difficulty", "operands", "ops"]) { return .synthetic }
    if k.isSuperset(of: ["task_id", "prompt", "test", "entry_point"]) { return .humanEval }
    if k.isSuperset(of: ["text", "code", "test_list"]) { return .mbpp }
    if k.isSuperset(of: ["question", "final_answer"]) { return .olympiadBench }
    if k.contains("problem") && (k.contains("answer") || k.contains("solution")) { return .math }
    if k.isSuperset(of: ["question", "answer"]) {
      if let a = record.fields["answer"] as? String, a.contains("####") { return .gsm8k }
      return .questionAnswer
    }
    return nil
  }

  /// Maps one record of this format onto a `Problem`; `source` names the data set.
  public func decode(_ r: DatasetRecord, source: String) throws -> Problem {
    switch self {
    case .math:
      let solution = try r.optionalString("solution")
      var answer = try r.optionalStringOrNumber("answer")
      // Hendrycks' original MATH files have no `answer`: it is the solution's last \boxed{…}.
      if answer == nil, let s = solution { answer = AnswerExtractor.lastBoxed(s) }
      guard let answer else { throw r.error(.missingKey("answer")) }
      return Problem(
        id: try Self.id(r, keys: ["unique_id", "id"], source: source), prompt: try r.string("problem"),
        kind: .math, reference: .answer(answer), solution: solution, difficulty: try Self.level(r),
        subject: try r.optionalString("subject") ?? r.optionalString("type"), source: source)
    case .gsm8k:
      let full = try r.string("answer")
      let (work, answer) = try Self.gsm8kAnswer(full, record: r)
      return Problem(
        id: try Self.id(r, keys: ["id"], source: source), prompt: try r.string("question"), kind: .math,
        reference: .answer(answer), solution: work, source: source)
    case .questionAnswer:
      return Problem(
        id: try Self.id(r, keys: ["id", "question_number"], source: source), prompt: try r.string("question"),
        kind: .math, reference: .answer(Self.stripDollars(try r.stringOrNumber("answer"))), source: source)
    case .olympiadBench:
      let answers = try r.stringList("final_answer", allowEmpty: false).map(Self.stripDollars)
      let solutions = r.has("solution") ? try r.stringList("solution") : []
      return Problem(
        id: try Self.id(r, keys: ["id"], source: source), prompt: try r.string("question"), kind: .math,
        reference: .answer(answers.joined(separator: ", ")),
        solution: solutions.isEmpty ? nil : solutions.joined(separator: "\n"),
        subject: try r.optionalString("subfield"), source: source)
    case .humanEval:
      return Problem(
        id: try r.string("task_id"), prompt: try r.string("prompt"), kind: .code,
        reference: .humanEval(test: try r.string("test"), entryPoint: try r.string("entry_point")),
        solution: try r.optionalString("canonical_solution"), source: source)
    case .mbpp:
      return Problem(
        id: try Self.id(r, keys: ["task_id"], source: source), prompt: try r.string("text"), kind: .code,
        reference: .mbpp(
          testList: try r.stringList("test_list", allowEmpty: false),
          setup: try r.optionalString("test_setup_code") ?? ""),
        solution: try r.string("code"), source: source)
    case .synthetic:
      let p = try SyntheticDatasetFile.decode(r)
      return Problem(
        id: try Self.id(r, keys: ["id"], source: source), prompt: p.text, kind: .math,
        reference: .answer(String(p.answer)), solution: SyntheticTask.solution(for: p),
        difficulty: p.difficulty, subject: p.kind.rawValue, source: source)
    }
  }

  /// GSM8K's answer field is the worked solution, then `#### n`; n may carry thousands commas
  /// ("#### 1,600" → "1600"). Returns the worked part and the bare number.
  static func gsm8kAnswer(_ full: String, record r: DatasetRecord) throws -> (String, String) {
    guard let marker = full.range(of: "####", options: .backwards) else {
      throw r.error(.badValue(key: "answer", why: "no \"#### n\" final answer"))
    }
    let raw = full[marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
    let number = raw.replacingOccurrences(of: ",", with: "")
    guard !number.isEmpty, Double(number) != nil else {
      throw r.error(.badValue(key: "answer", why: "final answer \"\(raw)\" is not a number"))
    }
    let work = full[..<marker.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
    return (work, number)
  }

  /// The first id-like key present (string or number), else `source-line`.
  static func id(_ r: DatasetRecord, keys: [String], source: String) throws -> String {
    for key in keys where r.has(key) { return try r.stringOrNumber(key) }
    return "\(source)-\(r.line)"
  }

  /// MATH `level`: an integer (MATH500) or "Level 3" (the original release); "Level ?" gives nil.
  static func level(_ r: DatasetRecord) throws -> Int? {
    guard r.has("level") else { return nil }
    if let s = r.fields["level"] as? String {
      let n = s.replacingOccurrences(of: "Level", with: "").trimmingCharacters(in: .whitespaces)
      if n == "?" { return nil }
      guard let level = Int(n) else {
        throw r.error(.badValue(key: "level", why: "\"\(s)\" is neither an integer nor \"Level n\""))
      }
      return level
    }
    return try r.int("level")
  }

  /// "$10-4 n$" → "10-4 n": Qwen2.5-Math's files wrap some answers in inline-math dollars.
  static func stripDollars(_ s: String) -> String {
    let t = s.trimmingCharacters(in: .whitespaces)
    guard t.count >= 2, t.hasPrefix("$"), t.hasSuffix("$"), !t.dropFirst().dropLast().contains("$") else {
      return s
    }
    return t.trimmingCharacters(in: CharacterSet(charactersIn: "$")).trimmingCharacters(in: .whitespaces)
  }
}
