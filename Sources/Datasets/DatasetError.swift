/// A problem with one line of a data file: which file, which 1-based line (0 when the file itself is
/// the problem), and what is wrong. Printed as `path:line: reason`, the form editors jump to.
///
///     math500.jsonl:3: bad JSON: …
///     gsm8k.jsonl:12: missing key "answer"
public struct DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    /// The file could not be opened or read.
    case unreadable(String)
    /// The line is not valid JSON (the parser's message).
    case badJSON(String)
    /// The line is valid JSON but not an object.
    case notAnObject
    case missingKey(String)
    /// `key` holds a value of the wrong JSON type; `expected` names the type(s) wanted.
    case wrongType(key: String, expected: String)
    /// `key` has the right type but an unusable value (e.g. GSM8K answer without `#### n`).
    case badValue(key: String, why: String)
    /// Auto-detection found no known format for these keys.
    case unknownFormat(keys: [String])
  }

  public var file: String
  public var line: Int
  public var reason: Reason

  public init(file: String, line: Int, reason: Reason) {
    self.file = file
    self.line = line
    self.reason = reason
  }

  public var description: String {
    let place = line > 0 ? "\(file):\(line)" : file
    switch reason {
    case .unreadable(let why): return "\(place): cannot read: \(why)"
    case .badJSON(let why): return "\(place): bad JSON: \(why)"
    case .notAnObject: return "\(place): not a JSON object"
    case .missingKey(let key): return "\(place): missing key \"\(key)\""
    case .wrongType(let key, let expected): return "\(place): key \"\(key)\" should be \(expected)"
    case .badValue(let key, let why): return "\(place): key \"\(key)\": \(why)"
    case .unknownFormat(let keys):
      return
        "\(place): unknown format for keys [\(keys.joined(separator: ", "))] (give the format explicitly)"
    }
  }
}
