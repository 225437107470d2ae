import Foundation

/// Errors of JSONL reading and writing; each names the file and, where it applies, the 1-based line.
public enum JSONLError: Error, Equatable, CustomStringConvertible {
  case unreadable(file: String, reason: String)
  case malformedLine(file: String, line: Int, reason: String)
  case missingID(file: String, line: Int, key: String)
  case duplicateID(file: String, id: String)
  case writeFailed(file: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let f, let r): return "\(f): cannot read: \(r)"
    case .malformedLine(let f, let l, let r): return "\(f):\(l): malformed JSONL line: \(r)"
    case .missingID(let f, let l, let k): return "\(f):\(l): record has no string or integer key '\(k)'"
    case .duplicateID(let f, let id): return "\(f): record id '\(id)' is already written"
    case .writeFailed(let f, let r): return "\(f): write failed: \(r)"
    }
  }
}

/// Reads JSON Lines files: one JSON value per `\n`-terminated line; blank lines are skipped; a last
/// line without `\n` is read too (use `ResumableJSONLWriter` to repair a crash-cut file first).
///
/// Example: a file `{"a":1}\n\n{"a":2}` read as `[[String: Int]]` gives `[["a": 1], ["a": 2]]`;
/// `{"a":1}\n{"a":` fails with `JSONLError.malformedLine(file:, line: 2, …)`.
public enum JSONLReader {
  /// Every non-blank line decoded as `T`.
  public static func read<T: Decodable>(_ type: T.Type, from url: URL) throws -> [T] {
    let decoder = JSONDecoder()
    return try lines(of: url).map { line in
      do {
        return try decoder.decode(T.self, from: line.data)
      } catch {
        throw JSONLError.malformedLine(file: url.path, line: line.number, reason: "\(error)")
      }
    }
  }

  /// The non-blank lines of `url` with their 1-based line numbers (bytes without the `\n`).
  public static func lines(of url: URL) throws -> [(number: Int, data: Data)] {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw JSONLError.unreadable(file: url.path, reason: "\(error)")
    }
    return split(data)
  }

  static func split(_ data: Data) -> [(number: Int, data: Data)] {
    var out: [(Int, Data)] = []
    var start = data.startIndex
    var number = 1
    while start < data.endIndex {
      let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
      let line = data[start..<end]
      if line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) { out.append((number, Data(line))) }
      number += 1
      start = end == data.endIndex ? end : data.index(after: end)
    }
    return out
  }
}
