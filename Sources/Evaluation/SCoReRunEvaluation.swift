import Foundation
import Generation
import Models
import Rollouts

/// The evaluation summary one method run writes next to its checkpoints (`evaluation.json`), read
/// back by `SCoReRunTable`: the Table 1–4 row (`SCoReSummary`) and the edit-distance ratios of
/// every two-attempt episode (the collapse diagnostic, [P] Fig. 3).
public struct SCoReRunEvaluation: Sendable, Codable, Equatable {
  public static let fileName = "evaluation.json"

  /// Row label, e.g. "SCoRe", "STaR D⁺".
  public var method: String
  public var summary: SCoReSummary
  /// editDistance(y1, y2) / (len(y1) + len(y2)) per episode (empty with one attempt).
  public var editDistanceRatios: [Double]

  public init(method: String, summary: SCoReSummary, editDistanceRatios: [Double]) {
    self.method = method
    self.summary = summary
    self.editDistanceRatios = editDistanceRatios
  }

  /// Scores episodes (one per problem for the paper's greedy protocol).
  public static func make(method: String, episodes: [SCoReEpisode]) throws -> SCoReRunEvaluation {
    let two = episodes.filter { $0.attempts.count >= 2 }
    return SCoReRunEvaluation(
      method: method, summary: try SCoReMetrics.summary(name: method, episodes: episodes),
      editDistanceRatios: SCoReEditDistance.ratios(
        firstAttempts: two.map { $0.attempts[0].text }, secondAttempts: two.map { $0.attempts[1].text }))
  }

  /// The paper's evaluation rollout: one greedy episode of `turns` attempts per problem (§1.6, §3.1).
  public static func rollout(
    model: any LanguageModel, prompts: SCoRePromptSet, layout: SCoRePromptLayout, problems: [SCoReProblem],
    checker: @escaping SCoReChecker, turns: Int = 2, maxNewTokens: Int = 1024, seed: UInt64 = 0
  ) async throws -> [SCoReEpisode] {
    let runner = SCoReEpisodeRunner(
      model: model, prompts: prompts,
      config: SCoReRolloutConfig(
        samplesPerProblem: 1, turns: turns, params: .greedy(maxNewTokens: maxNewTokens), layout: layout,
        seed: seed))
    return try await runner.run(problems: problems, checker: checker)
  }

  public func write(to directory: URL) throws {
    try AtomicFileWriter.writeJSON(self, to: directory.appendingPathComponent(Self.fileName))
  }

  /// Reads `directory/evaluation.json` (or the file itself when `url` names a file).
  public static func read(from url: URL) throws -> SCoReRunEvaluation {
    var isDirectory: ObjCBool = false
    let file =
      FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
      ? url.appendingPathComponent(fileName) : url
    do {
      return try JSONDecoder().decode(SCoReRunEvaluation.self, from: Data(contentsOf: file))
    } catch {
      throw SCoReRunTableError.unreadable(path: file.path, reason: "\(error)")
    }
  }
}

public enum SCoReRunTableError: Error, Equatable, CustomStringConvertible {
  case unreadable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "\(path): cannot read the run's evaluation (\(reason))"
    }
  }
}
