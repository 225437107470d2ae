import Datasets
import Foundation
import Rollouts

/// Options of one export.
public struct ExportOptions: Codable, Sendable, Equatable {
  public var kind: ExportKind
  public var format: ExportFormat
  /// TRL s2r-sft: messages instead of templated strings.
  public var conversational: Bool
  public var promptStyle: FrameworkExport.PromptStyle

  public init(
    kind: ExportKind, format: ExportFormat, conversational: Bool = false,
    promptStyle: FrameworkExport.PromptStyle = .s2r
  ) {
    self.kind = kind
    self.format = format
    self.conversational = conversational
    self.promptStyle = promptStyle
  }
}

extension FrameworkExport {
  /// Reads `input`, converts every record, and writes the rows as JSONL to `output` (replaced
  /// atomically). Inputs: s2r-sft — `S2RSFTExample` JSONL or a JSON array (the official SFT file);
  /// rl-prompts — any data set `DatasetLoader` reads; score-turns — `recheck eval` results
  /// (`EvalRecord`) or SCoRe training episodes (`SCoReEpisode`), one per line. Returns the row count.
  @discardableResult
  public static func export(input: String, output: String, options: ExportOptions) throws -> Int {
    let rows = try self.rows(input: input, options: options)
    var text = ""
    for row in rows { text += jsonText(row) + "\n" }
    try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
    return rows.count
  }

  public static func rows(input: String, options: ExportOptions) throws -> [[String: Any]] {
    switch options.kind {
    case .s2rSFT:
      return try sftExamples(input).map {
        try sftRow($0, format: options.format, conversational: options.conversational)
      }
    case .rlPrompts:
      return try EvalDataset.load(input).map {
        rlPromptRow($0, format: options.format, style: options.promptStyle)
      }
    case .scoreTurns:
      return try turnEpisodes(input).flatMap { turnRows($0, format: options.format) }
    }
  }

  static func sftExamples(_ path: String) throws -> [S2RSFTExample] {
    let url = URL(fileURLWithPath: path)
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw JSONLError.unreadable(file: path, reason: "\(error)")
    }
    if data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "[") {
      do { return try JSONDecoder().decode([S2RSFTExample].self, from: data) } catch {
        throw ExportError.badLine(file: path, line: 1, why: "not a JSON array of SFT examples: \(error)")
      }
    }
    return try JSONLReader.read(S2RSFTExample.self, from: url)
  }

  static func turnEpisodes(_ path: String) throws -> [TurnEpisode] {
    let decoder = JSONDecoder()
    return try JSONLReader.lines(of: URL(fileURLWithPath: path)).map { line in
      if let r = try? decoder.decode(EvalRecord.self, from: line.data) {
        guard let e = TurnEpisode(record: r) else {
          throw ExportError.badLine(
            file: path, line: line.number, why: "an S²R record has no per-turn contexts; export SCoRe runs")
        }
        return e
      }
      do { return TurnEpisode(episode: try decoder.decode(SCoReEpisode.self, from: line.data)) } catch {
        throw ExportError.badLine(
          file: path, line: line.number, why: "neither a recheck eval record nor a SCoRe episode: \(error)")
      }
    }
  }
}
