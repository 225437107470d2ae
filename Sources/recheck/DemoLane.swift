import Foundation
import Models
import TensorCore

/// Two stage lanes after the base model: this process runs S²R while a child `recheck demo --lane
/// score` process runs the SCoRe trainings (Stage I → II, multi-turn RL) and then the SCoRe baselines,
/// each lane on half the threads; whichever lane finishes first hands its threads to the other. (The
/// baselines moved to the child in session 35: once SCoRe scored turn 1 inside turn 2's rows its lane
/// became the shorter one — seed 1 on a Zen 4 VM: SCoRe trainings ≈ 550 s, S²R ≈ 650 s, baselines
/// ≈ 120 s; the lanes now end within 20 s of each other.)
///
/// Why processes and not threads: the demo's products and loops are sized for the whole machine
/// (`RowParallel`, `BLAS.threads`), and on 2 cores a step split over both threads runs 1.55–1.7×
/// faster than on one (a SCoRe Stage I step: 8.5 s → 5.5 s in session 25, 7.4 s → 4.4 s in session 26),
/// not 2×, so two lanes of one thread each do more work per second than one lane of two (default seed
/// 1 alone: 1,126 s with one lane, 977 s with two). Every stage computes exactly what it computes
/// alone (the work is cut the same way whatever the thread count, `RowParallel.setMaxThreads`), so
/// the tables do not depend on the lanes. The lanes share nothing but the run directory: the child
/// starts from the base stage's checkpoint, writes its stages as a single run would, and leaves its
/// rows and per-problem outcomes in `lanes/score.json`.
final class DemoLane {
  /// The child's rows: the SCoRe table's rows and per-problem turn outcomes, in the order they ran.
  struct Result: Codable, Equatable {
    var order: [String]
    var score: [String: ScoreRow]
    var turns: [String: [[Bool]]]
  }

  enum Role {
    /// This process, with the child it started.
    case parent(Process)
    /// The child: its lane is done when the parent's marker file exists.
    case child
  }

  let role: Role
  let dir: URL
  /// The child's parent process when the lane started: a child whose parent has died (killed, or
  /// Ctrl-C, which does not reach the child's own process group) is re-parented, and stops at its
  /// next step instead of training on as an orphan.
  let parentPID: pid_t
  /// Threads each lane runs on while both run, and what the lane left alone may use.
  let laneThreads: Int
  let allThreads: Int
  private(set) var widened = false

  init(role: Role, dir: URL, allThreads: Int, parentPID: pid_t = getppid()) {
    self.role = role
    self.parentPID = parentPID
    self.dir = dir
    self.allThreads = allThreads
    laneThreads = max(1, allThreads / 2)
  }

  /// The child's rows, relative to the run directory (written with `DemoPipeline.write`).
  static let resultName = "lanes/score.json"
  static func resultURL(_ dir: URL) -> URL { dir.appendingPathComponent(resultName) }
  static func parentDoneURL(_ dir: URL) -> URL { dir.appendingPathComponent("lanes/s2r.done") }

  /// Starts the child lane on `executable` with the run's config; it inherits stderr (its progress
  /// lines name their stages) and its stdout is discarded (it prints no tables).
  static func startChild(executable: URL, dir: URL, allThreads: Int, portableKernels: Bool) throws -> DemoLane
  {
    let lanes = dir.appendingPathComponent("lanes")
    try FileManager.default.createDirectory(at: lanes, withIntermediateDirectories: true)
    for url in [resultURL(dir), parentDoneURL(dir)] { try? FileManager.default.removeItem(at: url) }
    let process = Process()
    process.executableURL = executable
    process.arguments =
      [
        "demo", "--out", dir.path, "--config", dir.appendingPathComponent("config.json").path, "--lane",
        "score",
        "--threads", "\(allThreads)",
      ] + (portableKernels ? ["--portable-kernels"] : [])
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let lane = DemoLane(role: .parent(process), dir: dir, allThreads: allThreads)
    RowParallel.setMaxThreads(lane.laneThreads)
    return lane
  }

  /// The child's side: it starts on half the threads.
  static func child(dir: URL, allThreads: Int, parentPID: pid_t = getppid()) -> DemoLane {
    let lane = DemoLane(role: .child, dir: dir, allThreads: allThreads, parentPID: parentPID)
    RowParallel.setMaxThreads(lane.laneThreads)
    return lane
  }

  /// Whether this is the child lane and its parent has died.
  var orphaned: Bool {
    if case .child = role { return getppid() != parentPID }
    return false
  }

  /// Called between training steps: a child whose parent has died exits; once the other lane has
  /// finished, this one takes every thread.
  func betweenSteps() {
    if orphaned {
      Progress.say("demo --lane score: the parent demo process is gone; stopping (rerun it to resume)")
      exit(1)
    }
    guard !widened else { return }
    let otherDone: Bool
    switch role {
    case .parent(let process): otherDone = !process.isRunning
    case .child: otherDone = FileManager.default.fileExists(atPath: Self.parentDoneURL(dir).path)
    }
    guard otherDone else { return }
    RowParallel.setMaxThreads(allThreads)
    widened = true
  }

  /// The parent's lane is done: tell the child, wait for it, and read its rows.
  func finishParent() async throws -> Result {
    guard case .parent(let process) = role else { preconditionFailure("finishParent on the child lane") }
    try AtomicFileWriter.write(Data(), to: Self.parentDoneURL(dir))
    RowParallel.setMaxThreads(allThreads)
    while process.isRunning { try await Task.sleep(nanoseconds: 200_000_000) }
    guard process.terminationStatus == 0 else {
      throw DemoLaneError.childFailed(status: process.terminationStatus)
    }
    do {
      return try JSONDecoder().decode(Result.self, from: Data(contentsOf: Self.resultURL(dir)))
    } catch {
      throw DemoLaneError.unreadableResult(Self.resultURL(dir).path, "\(error)")
    }
  }

  /// Stops the child when the parent fails, so no orphan trains on.
  func abandon() {
    if case .parent(let process) = role, process.isRunning { process.terminate() }
  }
}

enum DemoLaneError: Error, CustomStringConvertible {
  case childFailed(status: Int32)
  case unreadableResult(String, String)
  case baseMissing

  var description: String {
    switch self {
    case .childFailed(let s):
      return "the SCoRe lane (recheck demo --lane score) failed with exit status \(s); its output is above. "
        + "Rerun the same command: finished stages are reused."
    case .unreadableResult(let path, let why): return "cannot read the SCoRe lane's rows \(path): \(why)"
    case .baseMissing:
      return "--lane score starts from a finished base stage, and this run directory has none"
    }
  }
}
