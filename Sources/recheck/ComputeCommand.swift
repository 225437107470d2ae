import ArgumentParser
import Foundation
import TensorCore

/// Commands that train or sample a model (their run time is matrix products). Before such a
/// command runs, `Recheck.main` prints `KernelReport.portableWarning` once when OpenBLAS is
/// missing — a 5–10× slower run should never be a silent surprise.
protocol ComputeCommand {}

extension DemoCommand: ComputeCommand {}
extension GenerateCommand: ComputeCommand {}
extension LogitsCommand: ComputeCommand {}
extension EvalCommand: ComputeCommand {}
extension S2RCollectCommand: ComputeCommand {}
extension S2RSampleCommand: ComputeCommand {}
extension S2RRLCommand: ComputeCommand {}
extension SFTCommand: ComputeCommand {}
extension ScoreTrainCommand: ComputeCommand {}
extension ScoreBaselineCommand: ComputeCommand {}
extension ScoreBaseCommand: ComputeCommand {}
extension BenchTensorCommand: ComputeCommand {}
extension BenchTrainCommand: ComputeCommand {}
extension BenchGenerateCommand: ComputeCommand {}

extension Recheck {
  /// ArgumentParser's own entry point (parse, run, exit with its error handling), plus the
  /// portable-kernel warning for `ComputeCommand`s.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if command is ComputeCommand, let warning = KernelReport.portableWarning {
        let bar = String(repeating: "!", count: 100)
        FileHandle.standardError.write(Data("\(bar)\n\(warning)\n\(bar)\n".utf8))
      }
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }
}
