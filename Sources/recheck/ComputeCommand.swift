import ArgumentParser
import Foundation
import TensorCore

/// Commands that train or sample a model (their run time is matrix products). Before such a
/// command runs, `Recheck.main` applies `--portable-kernels` and prints
/// `KernelReport.portableWarning` once when products run on the portable kernel (OpenBLAS missing
/// or bypassed) — a slower run should never be a silent surprise.
protocol ComputeCommand {
  var kernels: KernelOptions { get }
}

/// `--portable-kernels`, shared by every `ComputeCommand`.
struct KernelOptions: ParsableArguments {
  @Flag(
    help:
      "Run matrix products on the portable Swift kernel instead of OpenBLAS (1–2× slower with AVX2/AVX-512, more without; other float summation order, to check that results do not depend on it)."
  )
  var portableKernels = false
}

extension DemoCommand: ComputeCommand {}
extension GenerateCommand: ComputeCommand {}
extension LogitsCommand: ComputeCommand {}
extension EvalCommand: ComputeCommand {}
extension S2RCollectCommand: ComputeCommand {}
extension S2RSampleCommand: ComputeCommand {}
extension S2RProbeCommand: ComputeCommand {}
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
      if let compute = command as? ComputeCommand, compute.kernels.portableKernels {
        BLAS.usePortableKernels()
      }
      // A demo's child lane runs beside its parent, which has printed the warning.
      let childLane = (command as? DemoCommand)?.lane != nil
      if command is ComputeCommand, !childLane, let warning = KernelReport.portableWarning {
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
