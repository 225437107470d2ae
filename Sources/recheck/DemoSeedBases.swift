import Foundation

/// `recheck demo --seeds a,b,…`: every seed's base model is trained first, side by side, in child
/// processes (`recheck demo --lane base`) of one thread each; then the seeds run one after another as
/// before and find their base stage finished.
///
/// Why: on 2 cores a step split over both threads runs 1.6–1.8× faster than on one, not 2×
/// (`DemoLane`), so the base is the one stretch of a seed that does not keep both cores fully
/// busy (the stage lanes after it do, one thread each). Three bases of one thread each side by side
/// use the cores fully: on 2 SkylakeX cores (session 30) the three default bases took 591 s side by
/// side against 662 s in turn on both threads (229 / 226 / 207 s), same weights to the byte. Every
/// base computes exactly what it computes alone (the work is cut the same way whatever the thread
/// count), so the tables do not change; `Scripts/demo-smoke.sh` checks that a base trained here is
/// byte-identical to the one a single run trains. A finished base stage is reused, so a rerun after
/// an interruption trains only the bases still missing.
enum DemoSeedBases {
  struct Job {
    var seed: UInt64
    var dir: URL
    var config: DemoConfig
  }

  /// At most `2 × allThreads` children run at once (more only adds memory, not speed); each gets an
  /// equal share of the threads, at least one.
  static func width(jobs: Int, allThreads: Int) -> (processes: Int, threads: Int) {
    let processes = max(1, min(jobs, 2 * allThreads))
    return (processes, max(1, allThreads / processes))
  }

  static func train(_ jobs: [Job], executable: URL, allThreads: Int, portableKernels: Bool) async throws {
    let (processes, threads) = width(jobs: jobs.count, allThreads: allThreads)
    Progress.say(
      "demo: training the base models of seeds \(jobs.map { "\($0.seed)" }.joined(separator: ", ")) side by side (\(processes) at a time, \(threads) thread\(threads == 1 ? "" : "s") each)"
    )
    var pending = jobs[...]
    var running: [(job: Job, process: Process)] = []
    do {
      while !pending.isEmpty || !running.isEmpty {
        while running.count < processes, let job = pending.popFirst() {
          running.append(
            (job, try start(job, executable: executable, threads: threads, portable: portableKernels)))
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        for (job, process) in running where !process.isRunning && process.terminationStatus != 0 {
          throw DemoSeedBasesError.childFailed(seed: job.seed, status: process.terminationStatus)
        }
        running.removeAll { !$0.process.isRunning }
      }
    } catch {
      for (_, process) in running where process.isRunning { process.terminate() }
      throw error
    }
  }

  /// Writes the seed's config (the child reads it, as `--lane score` does) and starts its child.
  static func start(_ job: Job, executable: URL, threads: Int, portable: Bool) throws -> Process {
    let configURL = job.dir.appendingPathComponent("config.json")
    try DemoPipeline.writeJSON(job.config, to: configURL)
    let process = Process()
    process.executableURL = executable
    process.arguments =
      [
        "demo", "--out", job.dir.path, "--config", configURL.path, "--lane", "base", "--threads",
        "\(threads)",
      ] + (portable ? ["--portable-kernels"] : [])
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return process
  }
}

enum DemoSeedBasesError: Error, CustomStringConvertible {
  case childFailed(seed: UInt64, status: Int32)

  var description: String {
    switch self {
    case .childFailed(let seed, let status):
      return "the base model of seed \(seed) (recheck demo --lane base) failed with exit status \(status); "
        + "its output is above. Rerun the same command: finished stages are reused."
    }
  }
}
