import ArgumentParser
import Datasets
import Foundation
import Models

/// `recheck data <synth|check>`: write synthetic data sets, and check that a data file loads.
struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data", abstract: "Write synthetic data sets; check benchmark and data files.",
    subcommands: [DataSynthCommand.self, DataCheckCommand.self])
}

extension SyntheticKind: ExpressibleByArgument {}
extension DatasetFormat: ExpressibleByArgument {}

/// `recheck data synth --count N --seed S [--kind K …] [--difficulty 1-4] --out FILE.jsonl`.
struct DataSynthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth", abstract: "Write seeded synthetic problems as JSONL (read back by `data check`).")

  @Option(help: "Number of problems.") var count: Int
  @Option(help: "Seed; the file is a pure function of the options.") var seed: UInt64
  @Option(
    help:
      "Problem kinds, drawn uniformly (repeatable): arithmetic, linearEquation, pairPick, pairMark, indexPick."
  )
  var kind: [SyntheticKind] = [.arithmetic]
  @Option(
    help:
      "Difficulty or range, e.g. 2 or 1-4 (clamped by kind: arithmetic 1–4, equations 1–2, pair pick 1–3).")
  var difficulty = "1-4"
  @Option(help: "Output JSONL file.") var out: String

  func run() throws {
    guard count >= 0 else { throw ValidationError("--count must be ≥ 0") }
    let parts = difficulty.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard (1...2).contains(parts.count), let lo = parts.first!, let hi = parts.last!, lo >= 1, lo <= hi else {
      throw ValidationError("--difficulty: expected N or LO-HI with 1 ≤ LO ≤ HI, got \"\(difficulty)\"")
    }
    let config = SyntheticDatasetConfig(
      count: count, seed: seed, kinds: kind, minDifficulty: lo, maxDifficulty: hi)
    let problems = SyntheticDatasetFile.generate(config)
    try AtomicFileWriter.write(Data(SyntheticDatasetFile.jsonl(problems).utf8), to: URL(fileURLWithPath: out))
    print("wrote \(problems.count) synthetic problems to \(out)")
  }
}

/// `recheck data check FILE.jsonl [--format F] [--all-errors]`: loads the file and prints counts by
/// source, kind and difficulty, or the first bad line as `file:line: reason` (exit status 1).
struct DataCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Load a data file and print counts, or its first error (file:line).")

  @Argument(help: "JSONL file in any supported format.") var file: String
  @Option(
    help:
      "Format instead of auto-detection: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: DatasetFormat?
  @Flag(help: "Report every bad line instead of stopping at the first.") var allErrors = false

  func run() throws {
    var counts: [String: Int] = [:]
    var total = 0
    let result: (format: DatasetFormat?, errors: [DatasetError])
    do {
      result = try DatasetLoader.forEach(
        file, options: DatasetLoadOptions(format: format, collectErrors: allErrors)
      ) { p in
        total += 1
        counts["\(p.source)\t\(p.kind.rawValue)\t\(p.difficulty.map(String.init) ?? "-")", default: 0] += 1
      }
    } catch let error as DatasetError {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(1)
    }
    print("\(file): \(total) problems, format \(result.format?.rawValue ?? "unknown")")
    print("source\tkind\tdifficulty\tcount")
    for (key, n) in counts.sorted(by: { $0.key < $1.key }) { print("\(key)\t\(n)") }
    guard !result.errors.isEmpty else { return }
    for e in result.errors.prefix(20) { FileHandle.standardError.write(Data("error: \(e)\n".utf8)) }
    if result.errors.count > 20 {
      FileHandle.standardError.write(Data("… \(result.errors.count - 20) more bad lines\n".utf8))
    }
    print("\(result.errors.count) bad lines")
    throw ExitCode(1)
  }
}
