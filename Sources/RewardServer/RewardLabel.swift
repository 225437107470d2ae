import Foundation

/// What a response is graded against (SCoRe spec §6.5). OpenRLHF carries it as the dataset's label
/// column, a JSON string such as `{"task": "math", "answer": "19"}`; `/verify` items carry the same
/// fields inline.
///
/// - `task`: `math` (default), `synthetic` (Recheck's synthetic tasks, pair pick included: the last
///   `\\boxed{}` integer), `mbpp`, `humaneval` or `code` (a self-checking program). Recheck's own
///   spellings (`humanEval`, `MBPP`) are accepted: the task is matched without case.
/// - `answer` (alias `reference`): the reference answer of a math or synthetic task.
/// - `tests`: MBPP asserts, or for HumanEval one string holding its `test` code (defines `check`).
/// - `entry_point`: HumanEval's function name, called as `check(entry_point)`.
/// - `prefix`: code put before the extracted program (HumanEval's prompt when the model writes only
///   the body).
/// - `setup`: MBPP's `test_setup_code`, run before the asserts.
/// - `r1` (alias `previous_reward`), `shaping` (alias `alpha`): SCoRe Stage II reward shaping
///   (§2.4): reward = r2 + shaping·(r2 − r1), applied when both are present.
public struct RewardLabel: Codable, Sendable, Equatable {
  public var task: String
  public var answer: String?
  public var tests: [String]?
  public var entryPoint: String?
  public var prefix: String?
  public var setup: String?
  public var r1: Double?
  public var shaping: Double?

  public init(
    task: String = "math", answer: String? = nil, tests: [String]? = nil, entryPoint: String? = nil,
    prefix: String? = nil, setup: String? = nil, r1: Double? = nil, shaping: Double? = nil
  ) {
    self.task = task
    self.answer = answer
    self.tests = tests
    self.entryPoint = entryPoint
    self.prefix = prefix
    self.setup = setup
    self.r1 = r1
    self.shaping = shaping
  }

  enum CodingKeys: String, CodingKey {
    case task, answer, reference, tests, prefix, setup, r1, shaping, alpha
    case entryPoint = "entry_point"
    case previousReward = "previous_reward"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    task = (try c.decodeIfPresent(String.self, forKey: .task) ?? "math").lowercased()
    answer =
      try c.decodeIfPresent(FlexibleString.self, forKey: .answer)?.value
      ?? c.decodeIfPresent(FlexibleString.self, forKey: .reference)?.value
    if let one = try? c.decodeIfPresent(String.self, forKey: .tests) {
      tests = [one]
    } else {
      tests = try c.decodeIfPresent([String].self, forKey: .tests)
    }
    entryPoint = try c.decodeIfPresent(String.self, forKey: .entryPoint)
    prefix = try c.decodeIfPresent(String.self, forKey: .prefix)
    setup = try c.decodeIfPresent(String.self, forKey: .setup)
    r1 =
      try c.decodeIfPresent(Double.self, forKey: .r1)
      ?? c.decodeIfPresent(Double.self, forKey: .previousReward)
    shaping =
      try c.decodeIfPresent(Double.self, forKey: .shaping) ?? c.decodeIfPresent(Double.self, forKey: .alpha)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(task, forKey: .task)
    try c.encodeIfPresent(answer, forKey: .answer)
    try c.encodeIfPresent(tests, forKey: .tests)
    try c.encodeIfPresent(entryPoint, forKey: .entryPoint)
    try c.encodeIfPresent(prefix, forKey: .prefix)
    try c.encodeIfPresent(setup, forKey: .setup)
    try c.encodeIfPresent(r1, forKey: .r1)
    try c.encodeIfPresent(shaping, forKey: .shaping)
  }

  /// Parses an OpenRLHF label: a JSON object as above, or any other string, which is taken as the
  /// reference answer of a math task (datasets whose label column is the bare answer).
  ///
  /// Example: `parse("{\"task\": \"math\", \"answer\": \"19\"}")` and `parse("19")` give the same label.
  public static func parse(_ label: String) throws -> RewardLabel {
    let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines)
    guard trimmed.hasPrefix("{") else { return RewardLabel(task: "math", answer: label) }
    do {
      return try JSONDecoder().decode(RewardLabel.self, from: Data(trimmed.utf8))
    } catch {
      throw RewardServiceError.badRequest("label is not a valid label object: \(describe(error))")
    }
  }
}

/// A JSON string, or a number/bool written as its text (datasets often store answers as numbers).
struct FlexibleString: Decodable {
  var value: String

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let s = try? c.decode(String.self) {
      value = s
    } else if let i = try? c.decode(Int.self) {
      value = String(i)
    } else if let d = try? c.decode(Double.self) {
      value = String(d)
    } else if let b = try? c.decode(Bool.self) {
      value = String(b)
    } else {
      throw DecodingError.typeMismatch(
        String.self, .init(codingPath: c.codingPath, debugDescription: "expected a string or a number"))
    }
  }
}

/// A short, single-line account of a decoding error that names the offending JSON path.
func describe(_ error: any Error) -> String {
  func path(_ keys: [any CodingKey]) -> String {
    let s = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    return s.isEmpty ? "top level" : String(s.drop(while: { $0 == "." }))
  }
  guard let e = error as? DecodingError else { return String(describing: error) }
  switch e {
  case .typeMismatch(let type, let ctx):
    return "\(path(ctx.codingPath)): expected \(type)"
  case .valueNotFound(let type, let ctx):
    return "\(path(ctx.codingPath)): missing \(type) value"
  case .keyNotFound(let key, let ctx):
    return "\(path(ctx.codingPath + [key])): required key is missing"
  case .dataCorrupted(let ctx):
    return "\(path(ctx.codingPath)): invalid JSON (\(ctx.debugDescription))"
  @unknown default:
    return String(describing: e)
  }
}
