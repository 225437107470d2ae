import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Generation
import Models
import Rollouts
import Tokenizers
import Training
import Verifiers

/// Data, model and run-directory plumbing shared by the `recheck score` commands.
enum ScoreSupport {
  /// Problems of a JSONL file with the matching prompt set and checker. Synthetic files (`recheck
  /// data synth`) use the synthetic text layout and a boxed-integer checker; MATH-style files use
  /// the [P] MATH prompts and `MathGrader.grade`. Code files are refused.
  static func loadData(_ path: String) throws -> (
    problems: [SCoReProblem], prompts: SCoRePromptSet, checker: SCoReChecker
  ) {
    let load = try DatasetLoader.load(path)
    guard !load.problems.isEmpty else { throw ValidationError("\(path): no problems") }
    if let code = load.problems.first(where: { $0.kind != .math }) {
      throw ValidationError(
        "\(path): problem \(code.id) is code; `recheck score` handles math and synthetic data")
    }
    let problems = load.problems.map {
      SCoReProblem(id: $0.id, statement: $0.prompt, answer: $0.answer ?? "")
    }
    if load.format == .synthetic {
      let checker: SCoReChecker = { problem, text in
        let boxed = SyntheticTask.boxedAnswer(in: text)
        return (boxed.map(String.init) == problem.answer ? 1 : 0, boxed.map(String.init))
      }
      return (
        problems, .synthetic(firstTurn: "", correction: SyntheticFormat.scoreInstruction, separator: "\n"),
        checker
      )
    }
    let checker: SCoReChecker = { problem, text in
      let g = MathGrader.grade(reference: problem.answer, response: text)
      return (g.equivalent ? 1 : 0, g.extractedAnswer)
    }
    return (problems, .math, checker)
  }

  /// Opens `out/metrics.jsonl` and returns a record sink that appends each record and prints a
  /// progress line on stderr.
  static func metricsSink(_ out: URL) throws -> (SCoReRunRecord) throws -> Void {
    let log = try MetricsLog(url: out.appendingPathComponent("metrics.jsonl"), resumeStep: nil)
    return { record in
      try log.append(record.metricsLine)
      let keys = [
        "loss", "nll", "reward_t1", "reward_t2", "acc_t1", "acc_t2", "kept", "pairs", "answer_changed",
      ]
      let shown = keys.compactMap { k in record.values[k].map { String(format: "%@ %.4f", k, $0) } }
      FileHandle.standardError.write(
        Data("[\(record.phase)] step \(record.phaseStep)  \(shown.joined(separator: "  "))\n".utf8))
    }
  }

  /// Greedy two-attempt evaluation (or the given episodes), written as `episodes.jsonl` and
  /// `evaluation.json`; prints the table row.
  static func finish(method: String, episodes: [SCoReEpisode], out: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var lines = Data()
    for e in episodes {
      lines.append(try encoder.encode(e))
      lines.append(0x0A)
    }
    try AtomicFileWriter.write(lines, to: out.appendingPathComponent("episodes.jsonl"))
    let evaluation = try SCoReRunEvaluation.make(method: method, episodes: episodes)
    try evaluation.write(to: out)
    print(SCoReRunTable.render([evaluation]), terminator: "")
  }
}
