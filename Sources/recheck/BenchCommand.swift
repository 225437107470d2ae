import ArgumentParser

/// `recheck bench <what>`: benchmarks of the hot paths, each printing its figure next to a peer.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Benchmarks of Recheck's hot paths.",
    subcommands: [
      BenchTensorCommand.self,
      BenchGradeCommand.self,
      BenchGGUFCommand.self,
      BenchTokenizeCommand.self,
      BenchSandboxCommand.self,
      BenchGenerateCommand.self,
      BenchTrainCommand.self,
    ]
  )
}
