import Foundation
import Models

/// An append-only JSONL file of training metrics, one object per logged step. Each line is
/// written whole and flushed; on resume, lines beyond the checkpoint's step are dropped so a
/// resumed run neither loses nor duplicates records.
public final class MetricsLog {
  public let url: URL
  private let handle: FileHandle

  /// Opens (creating if needed) and truncates records with `step > resumeStep` (all of them when
  /// `resumeStep` is nil and the file is new). A torn last line (a crash mid-write) is removed.
  public init(url: URL, resumeStep: Int?) throws {
    self.url = url
    let fm = FileManager.default
    try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    var kept: [String] = []
    if let resumeStep, let text = try? String(contentsOf: url, encoding: .utf8) {
      for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
          continue
        }
        if let step = obj["step"] as? Int, step > resumeStep { continue }
        kept.append(String(line))
      }
    }
    let body = kept.isEmpty ? "" : kept.joined(separator: "\n") + "\n"
    try AtomicFileWriter.write(Data(body.utf8), to: url)
    handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
  }

  deinit { try? handle.close() }

  /// Appends one record (keys sorted, so files diff cleanly).
  public func append(_ record: [String: Any]) throws {
    var data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
    data.append(0x0A)
    try handle.write(contentsOf: data)
    try handle.synchronize()
  }

  /// Reads every record of a metrics file.
  public static func read(_ url: URL) throws -> [[String: Any]] {
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }
}
