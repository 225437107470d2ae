import Datasets
import Foundation
import Generation
import Models
import Rollouts

/// Options of one export.
public struct ExportOptions: Codable, Sendable, Equatable {
  public var kind: ExportKind
  public var format: ExportFormat
  /// TRL s2r-sft: messages instead of templated strings.
  public var conversational: Bool
  public var promptStyle: FrameworkExport.PromptStyle
  /// score-turns: the data file the run used (needed for code tasks and training episodes, whose
  /// records do not keep the tests or the reference).
  public var data: String?
  /// score-turns: Stage II shaping α written into the labels of turns ≥ 2 (nil: none).
  public var shaping: Double?

  public init(
    kind: ExportKind, format: ExportFormat, conversational: Bool = false,
    promptStyle: FrameworkExport.PromptStyle = .s2r, data: String? = nil, shaping: Double? = 10
  ) {
    self.kind = kind
    self.format = format
    self.conversational = conversational
    self.promptStyle = promptStyle
    self.data = data
    self.shaping = shaping
  }
}

/// A line of a `recheck demo` run's `results/<method>.jsonl` for a SCoRe method: the problem, its
/// answer, both attempts and their rewards (synthetic task, plain-text `SyntheticFormat` layout).
struct DemoTurnRecord: Decodable {
  var problem: String
  var answer: Int
  var y1: String
  var y2: String
  var r1: Double
  var r2: Double
}

extension FrameworkExport {
  /// Reads `input`, converts every record, and writes the rows as JSONL to `output` (replaced
  /// atomically). Inputs: s2r-sft — `S2RSFTExample` JSONL (`recheck demo`'s `s2r_sft.jsonl`,
  /// `recheck s2r collect`) or a JSON array (the official SFT file); rl-prompts — any data set
  /// `DatasetLoader` reads; score-turns — `recheck eval` results (`EvalRecord`), `recheck demo`'s
  /// SCoRe `results/<method>.jsonl`, or SCoRe training episodes (`SCoReEpisode`), one per line.
  /// Returns the row count.
  @discardableResult
  public static func export(input: String, output: String, options: ExportOptions) throws -> Int {
    let rows = try self.rows(input: input, options: options)
    var text = ""
    for row in rows { text += jsonText(row) + "\n" }
    try AtomicFileWriter.write(Data(text.utf8), to: URL(fileURLWithPath: output))
    return rows.count
  }

  public static func rows(input: String, options: ExportOptions) throws -> [[String: Any]] {
    switch options.kind {
    case .s2rSFT:
      return try sftExamples(input).flatMap {
        try sftRows($0, format: options.format, conversational: options.conversational)
      }
    case .rlPrompts:
      return try EvalDataset.load(input).map {
        rlPromptRow($0, format: options.format, style: options.promptStyle)
      }
    case .scoreTurns:
      let items = try options.data.map { try EvalDataset.load($0) }
      return try turnEpisodes(input, items: items).flatMap {
        turnRows($0, format: options.format, shaping: options.shaping)
      }
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

  /// The episodes of a results or episodes file; `items` (the data file, by problem id) supplies
  /// the labels that the records cannot.
  static func turnEpisodes(_ path: String, items: [EvalItem]?) throws -> [TurnEpisode] {
    let decoder = JSONDecoder()
    let byID = Dictionary((items ?? []).map { ($0.problem.id, $0) }, uniquingKeysWith: { a, _ in a })
    func fields(_ id: String, task: String?, reference: String?, line: Int) throws -> [String: Any] {
      if let item = byID[id] { return labelObject(item, r1: nil, shaping: nil) }
      switch task?.lowercased() {
      case "math", "synthetic":
        return ["task": task!.lowercased(), "answer": reference ?? ""]
      case .some(let t):
        throw items == nil
          ? ExportError.needsData(id: id, task: t)
          : ExportError.badLine(file: path, line: line, why: "problem \(id) is not in the --data file")
      case nil:
        throw ExportError.badLine(
          file: path, line: line,
          why: items == nil
            ? "a SCoRe training episode keeps no reference; pass --data with the problems it was sampled from"
            : "problem \(id) is not in the --data file")
      }
    }
    return try JSONLReader.lines(of: URL(fileURLWithPath: path)).map { line in
      if let r = try? decoder.decode(EvalRecord.self, from: line.data) {
        guard r.attempts.allSatisfy({ $0.prompt != nil }) else {
          throw ExportError.badLine(
            file: path, line: line.number, why: "an S²R record has no per-turn contexts; export SCoRe runs")
        }
        return TurnEpisode(
          group: r.id, sample: 0,
          labelFields: try fields(r.id, task: r.task, reference: r.reference, line: line.number),
          attempts: r.attempts.map { TurnEpisode.Turn(prompt: $0.prompt!, text: $0.text, reward: $0.reward) })
      }
      if let d = try? decoder.decode(DemoTurnRecord.self, from: line.data) {
        let p1 = d.problem + "\n"
        let p2 = p1 + d.y1 + "\n" + SyntheticFormat.scoreInstruction + "\n"
        return TurnEpisode(
          group: d.problem, sample: 0, labelFields: ["task": "synthetic", "answer": String(d.answer)],
          attempts: [
            .init(prompt: .text(p1), text: d.y1, reward: d.r1),
            .init(prompt: .text(p2), text: d.y2, reward: d.r2),
          ])
      }
      let e: SCoReEpisode
      do { e = try decoder.decode(SCoReEpisode.self, from: line.data) } catch {
        throw ExportError.badLine(
          file: path, line: line.number,
          why: "neither a recheck eval record, a recheck demo SCoRe result (problem, answer, y1, y2, r1, r2) "
            + "nor a SCoRe episode (S²R demo results have no per-turn contexts): \(error)")
      }
      return TurnEpisode(
        group: e.problemID, sample: e.sample,
        labelFields: try fields(e.problemID, task: nil, reference: nil, line: line.number),
        attempts: e.attempts.map { TurnEpisode.Turn(prompt: $0.prompt, text: $0.text, reward: $0.reward) })
    }
  }
}
