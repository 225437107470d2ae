import ArgumentParser
import Datasets
import Foundation
import Tokenizers
import Training

/// The problems of `recheck s2r rl` and `recheck s2r sample`, from either kind of file, as one list
/// of `S2RRLProblem`s — so the commands have one code path for both:
///
/// - a synthetic file (`recheck data synth`): repeated problems dropped (ids are problem texts),
///   plain `SyntheticFormat` prompts and integer answers, exactly as before;
/// - MATH/GSM8K-style JSONL (the layouts `s2r collect` reads, `S2RBenchmarkCollector.loadProblems`):
///   the math problems with an answer, prompted through `template` with the S²R system prompt and
///   graded by `MathGrader`; unreadable rows are skipped and reported with file:line.
enum S2RProblemSource {
  static func load(_ path: String, template: ChatTemplate, command: String) throws -> [S2RRLProblem] {
    let problems: [S2RRLProblem]
    if try S2RCollectCommand.isBenchmark(path) {
      let (math, skipped, nonMath) = try S2RBenchmarkCollector.loadProblems(path)
      for e in skipped.prefix(5) { Progress.say("\(command): skipped \(e)") }
      if !skipped.isEmpty || nonMath > 0 {
        Progress.say(
          "\(command): skipped \(skipped.count) unreadable rows (e.g. no answer)"
            + (nonMath > 0 ? " and \(nonMath) non-math problems" : ""))
      }
      problems = math.compactMap { p in
        p.answer.map { S2RRLProblem.math(id: p.id, problem: p.prompt, gold: $0, template: template) }
      }
    } else {
      problems = S2RStage0Collector.deduplicated(try SyntheticDatasetFile.read(from: path)).map(
        S2RRLProblem.synthetic)
    }
    guard !problems.isEmpty else { throw ValidationError("\(path): no problems") }
    return problems
  }
}
