import Foundation

/// How to read a data file.
public struct DatasetLoadOptions: Codable, Sendable, Equatable {
  /// The layout; nil detects it from the first non-blank line (`DatasetFormat.detect`).
  public var format: DatasetFormat?
  /// Collect malformed lines in `DatasetLoad.errors` and go on, instead of throwing at the first one.
  public var collectErrors: Bool
  /// The data set name stored in `Problem.source`; nil uses the file name without its extension.
  public var source: String?

  public init(format: DatasetFormat? = nil, collectErrors: Bool = false, source: String? = nil) {
    self.format = format
    self.collectErrors = collectErrors
    self.source = source
  }
}

/// The problems of one file, its format, and (with `collectErrors`) the lines that could not be read.
public struct DatasetLoad: Sendable {
  public var format: DatasetFormat?
  public var problems: [Problem]
  public var errors: [DatasetError]
}

/// Reads benchmark and synthetic JSONL files into `Problem`s (formats in `DatasetFormat`). Lines are
/// streamed (`JSONLLineReader`), so `forEach` runs in memory independent of the file size; blank lines
/// are skipped. A bad line is a `DatasetError` naming the file and its 1-based line.
///
///     let math = try DatasetLoader.load("../shared/datasets/math500.jsonl").problems  // 500, kind .math
public enum DatasetLoader {
  /// Every problem of `path`.
  public static func load(_ path: String, options: DatasetLoadOptions = DatasetLoadOptions()) throws
    -> DatasetLoad
  {
    var problems: [Problem] = []
    let (format, errors) = try forEach(path, options: options) { problems.append($0) }
    return DatasetLoad(format: format, problems: problems, errors: errors)
  }

  /// Streams the problems of `path` to `body` in file order; returns the format used and, with
  /// `collectErrors`, the bad lines (otherwise the first bad line throws).
  @discardableResult
  public static func forEach(
    _ path: String, options: DatasetLoadOptions = DatasetLoadOptions(), _ body: (Problem) throws -> Void
  ) throws -> (format: DatasetFormat?, errors: [DatasetError]) {
    let reader = try JSONLLineReader(path: path)
    let source = options.source ?? sourceName(path)
    var format = options.format
    var errors: [DatasetError] = []
    while let line = try reader.next() {
      if line.text.allSatisfy(\.isWhitespace) { continue }
      let problem: Problem
      do {
        let record = try DatasetRecord(text: line.text, file: path, line: line.number)
        if format == nil {
          guard let detected = DatasetFormat.detect(record) else {
            throw record.error(.unknownFormat(keys: record.keys.sorted()))
          }
          format = detected
        }
        problem = try format!.decode(record, source: source)
      } catch let error as DatasetError {
        guard options.collectErrors else { throw error }
        errors.append(error)
        continue
      }
      try body(problem)
    }
    return (format, errors)
  }

  /// "…/math500.jsonl" → "math500".
  public static func sourceName(_ path: String) -> String {
    let name = (path as NSString).lastPathComponent
    return name.hasSuffix(".jsonl") ? String(name.dropLast(6)) : (name as NSString).deletingPathExtension
  }
}
