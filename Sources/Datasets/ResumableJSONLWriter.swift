import Foundation

/// An append-only JSONL file keyed by record id, for long jobs that must survive crashes and reruns.
///
/// Opening an existing file: a last line without its `\n` (a crash mid-write) is cut off, every
/// complete line must be a JSON object carrying `idKey` (a string or integer) or opening fails with an
/// error naming the line, and those ids become `finishedIDs` so a rerun skips them. Each `append`
/// writes one line and flushes it to disk (`fsync`) before returning, so a finished id is never lost.
///
/// Example: a file `{"id":"a"}\n{"id":"b` opens with `finishedIDs == ["a"]`, `repairedBytes == 8`, and
/// the file is `{"id":"a"}\n` again.
public final class ResumableJSONLWriter {
  public let url: URL
  public let idKey: String
  public private(set) var finishedIDs: Set<String>
  /// Bytes cut from a partially written last line when the file was opened.
  public let repairedBytes: Int
  private let handle: FileHandle
  private let encoder: JSONEncoder

  public init(url: URL, idKey: String = "id") throws {
    self.url = url
    self.idKey = idKey
    let fm = FileManager.default
    if !fm.fileExists(atPath: url.path) {
      guard fm.createFile(atPath: url.path, contents: nil) else {
        throw JSONLError.writeFailed(file: url.path, reason: "cannot create the file")
      }
    }
    var data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw JSONLError.unreadable(file: url.path, reason: "\(error)")
    }
    let keep = (data.lastIndex(of: 0x0A).map { data.distance(from: data.startIndex, to: $0) + 1 }) ?? 0
    repairedBytes = data.count - keep
    data = data.prefix(keep)
    var ids = Set<String>()
    for line in JSONLReader.split(data) {
      let probe: IDProbe
      do {
        probe = try Self.probe(line.data, key: idKey)
      } catch {
        throw JSONLError.malformedLine(file: url.path, line: line.number, reason: "\(error)")
      }
      guard let id = probe.id else {
        throw JSONLError.missingID(file: url.path, line: line.number, key: idKey)
      }
      ids.insert(id)
    }
    finishedIDs = ids
    do {
      handle = try FileHandle(forUpdating: url)
      if repairedBytes > 0 {
        try handle.truncate(atOffset: UInt64(keep))
        try handle.synchronize()
      }
      try handle.seekToEnd()
    } catch {
      throw JSONLError.writeFailed(file: url.path, reason: "\(error)")
    }
    encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  }

  deinit { try? handle.close() }

  public func isFinished(_ id: String) -> Bool { finishedIDs.contains(id) }

  /// Appends `record` (which must encode `idKey` = `id`) as one line and fsyncs it.
  public func append<T: Encodable>(_ record: T, id: String) throws {
    guard !finishedIDs.contains(id) else { throw JSONLError.duplicateID(file: url.path, id: id) }
    var line: Data
    do { line = try encoder.encode(record) } catch {
      throw JSONLError.writeFailed(file: url.path, reason: "\(error)")
    }
    guard (try? Self.probe(line, key: idKey))?.id == id else {
      throw JSONLError.writeFailed(file: url.path, reason: "record does not encode \(idKey) = '\(id)'")
    }
    line.append(0x0A)
    do {
      try handle.write(contentsOf: line)
      try handle.synchronize()
    } catch {
      throw JSONLError.writeFailed(file: url.path, reason: "\(error)")
    }
    finishedIDs.insert(id)
  }

  static func probe(_ data: Data, key: String) throws -> IDProbe {
    let decoder = JSONDecoder()
    decoder.userInfo[IDProbe.keyInfo] = key
    return try decoder.decode(IDProbe.self, from: data)
  }
}

/// Decodes only the id field of a JSON object (a string, or an integer written as its decimal text).
struct IDProbe: Decodable {
  static let keyInfo = CodingUserInfoKey(rawValue: "recheck.jsonl.idKey")!
  var id: String?

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    let key = Key(stringValue: decoder.userInfo[Self.keyInfo] as? String ?? "id")
    if let s = try? c.decode(String.self, forKey: key) {
      id = s
    } else if let n = try? c.decode(Int.self, forKey: key) {
      id = String(n)
    }
  }
}
