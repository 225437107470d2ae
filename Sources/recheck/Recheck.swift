import ArgumentParser
import CRecheckHeap
import TensorCore

/// The `recheck` command-line tool: thin commands over the library targets.
/// Config flows one way: options here → a `Codable` config struct → the library.
@main
struct Recheck: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recheck",
    abstract: "Train and evaluate intrinsic self-verification (S²R) and self-correction (SCoRe).",
    version: RecheckVersion.string,
    subcommands: [
      VersionCommand.self,
      BenchCommand.self,
      GradeCommand.self,
      DataCommand.self,
      DemoCommand.self,
      EvalCommand.self,
      ExportCommand.self,
      ReportCommand.self,
      ServeCommand.self,
      ScoreCommand.self,
      GenerateCommand.self,
      LogitsCommand.self,
      S2RCommand.self,
      SFTCommand.self,
    ]
  )
}

enum RecheckVersion {
  static let string = "0.1.0"
}

struct VersionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "version", abstract: "Print the Recheck version (--verbose: and the compute kernels chosen)."
  )
  @Flag(help: "Also name the kernels this machine runs (BLAS family, AVX2/AVX-512 paths, threads).")
  var verbose = false
  func run() throws {
    print("recheck \(RecheckVersion.string)")
    guard verbose else { return }
    for line in KernelReport.lines { print("  " + line) }
    print("  " + HeapReport.line)
  }
}

/// What `recheck version --verbose` says about the heap settings of `CRecheckHeap/HeapPolicy.c`.
enum HeapReport {
  static var line: String {
    rc_heap_policy_applied() == 1
      ? "heap: freed memory kept for reuse (glibc: one arena, no mmap'd blocks, no trimming)"
      : "heap: the C library's defaults (the start-up settings were not applied)"
  }
}
