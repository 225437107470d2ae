import Foundation

/// Timing helpers for `recheck bench`: median wall time of repeated runs after a warm-up.
enum BenchClock {
  static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

  /// Median seconds per call of `body` over `repeats` runs (after `warmup` untimed runs).
  static func median(repeats: Int, warmup: Int = 1, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<max(repeats, 1) {
      let t0 = now()
      body()
      times.append(now() - t0)
    }
    return median(times)
  }

  /// The middle of `values` once sorted (the upper of the two middles for an even count), as every
  /// `recheck bench` figure is reported.
  static func median(_ values: [Double]) -> Double {
    values.sorted()[values.count / 2]
  }

  /// Recheck's cache (models, peer venvs): RECHECK_CACHE, else $XDG_CACHE_HOME/recheck, else
  /// ~/.cache/recheck — where Scripts/*.sh put them.
  static var cacheDirectory: String {
    let env = ProcessInfo.processInfo.environment
    return env["RECHECK_CACHE"] ?? ((env["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")) + "/recheck")
  }

  /// The path of Scripts/`name` in this source checkout (the peer scripts live there).
  static func script(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Scripts/\(name)").standardized.path
  }

  /// Runs a peer benchmark script and decodes its JSON stdout (the last line).
  static func runPeer(python: String, script: String, arguments: [String]) throws -> [String: Double] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = [script] + arguments
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0,
      let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
      let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double]
    else { throw BenchError.peerFailed(script) }
    return obj
  }
}

enum BenchError: Error, CustomStringConvertible {
  case peerFailed(String)
  var description: String {
    switch self {
    case .peerFailed(let s):
      return "peer benchmark \(s) failed (run its Scripts/*.sh wrapper to set up its venv)"
    }
  }
}

extension String {
  /// Right-aligns to `width` columns (for benchmark tables).
  func padLeft(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
