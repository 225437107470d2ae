import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension Sandbox {
  /// Maps what the process tree did to a verdict. Only the exact line `passed <nonce>` on fd 4 passes;
  /// resource limits are checked before the harness's own failure lines (which the program could forge).
  static func verdict(_ o: SandboxOutcome, nonce: String, limits: SandboxLimits, script: Bool = false)
    -> SandboxResult
  {
    var result = SandboxResult(
      verdict: .error, detail: "", stdout: String(decoding: o.stdout, as: UTF8.self),
      stderr: String(decoding: o.stderr, as: UTF8.self), wallSeconds: o.wallSeconds, cpuSeconds: o.cpuSeconds)
    let lines = String(decoding: o.result, as: UTF8.self).split(separator: "\n").map(String.init)
    let exitedBySignal = (o.status & 0x7f) != 0 && (o.status & 0x7f) != 0x7f
    let signal = o.status & 0x7f
    // `unshare --fork` prints this when its child died of SIGKILL (it cannot re-raise that signal).
    // Not our wall-clock kill (`timedOut`), so the kernel's RLIMIT_CPU kill; under heavy load the
    // rusage we read lagged to 1.37 s of a 2 s limit (seen in a full test run on 2 busy cores).
    let killedUnderUnshare = result.stderr.contains("sigprocmask unblock failed")
    if o.outputExceeded {
      (result.verdict, result.detail) = (.error, "output exceeded \(limits.outputBytes) bytes; killed")
    } else if lines.contains("passed " + nonce) {
      (result.verdict, result.detail) = (.passed, "")
    } else if o.timedOut {
      (result.verdict, result.detail) = (.timeout, "wall-clock limit of \(limits.wallSeconds) s exceeded")
    } else if o.cpuSeconds >= Double(limits.cpuSeconds) - 0.05 || (exitedBySignal && signal == SIGXCPU)
      || (lines.isEmpty && o.cpuSeconds >= 0.75 * Double(limits.cpuSeconds))
      || (lines.isEmpty && killedUnderUnshare && o.cpuSeconds >= 0.5 * Double(limits.cpuSeconds))
    {
      // The last clause: the kernel's kill at RLIMIT_CPU can land before the rusage we read has
      // accounted the last ticks (seen: 1.75 s of a 2 s limit under load), and `unshare` then exits 1
      // ("sigprocmask unblock failed"); with no harness result line at all, a run that used ≥ 75 % of
      // its CPU budget was stopped by that limit, not by a failing test.
      (result.verdict, result.detail) = (.timeout, "CPU limit of \(limits.cpuSeconds) s exceeded")
    } else if script {
      scriptVerdict(&result, o, lines: lines, exitedBySignal: exitedBySignal)
    } else if let last = lines.last(where: { !$0.hasPrefix("passed ") }) ?? lines.last {
      let (word, rest) = split(last)
      switch word {
      case "memory": (result.verdict, result.detail) = (.memory, rest)
      case "error": (result.verdict, result.detail) = (.error, rest)
      case "failed": (result.verdict, result.detail) = (.failed, rest)
      default: (result.verdict, result.detail) = (.failed, "unrecognised result line: \(last.prefix(200))")
      }
    } else if exitedBySignal {
      (result.verdict, result.detail) = (.error, "killed by signal \(signal) before the tests completed")
    } else {
      let code = (o.status >> 8) & 0xff
      (result.verdict, result.detail) = (
        .failed,
        "exited with status \(code) before the tests completed (cpu \(String(format: "%.2f", o.cpuSeconds)) s, "
          + "wall \(String(format: "%.2f", o.wallSeconds)) s; stderr: \(result.stderr.suffix(300)))"
      )
    }
    return result
  }

  /// Script mode: the process's own exit status is the answer (the harness exits with the program's
  /// code); fd 4 only says whether the harness failed to set up or the program ran out of memory.
  private static func scriptVerdict(
    _ result: inout SandboxResult, _ o: SandboxOutcome, lines: [String], exitedBySignal: Bool
  ) {
    if let setup = lines.first(where: { $0.hasPrefix("error ") }) {
      (result.verdict, result.detail) = (.error, String(setup.dropFirst(6)))
      return
    }
    let code = exitedBySignal ? -Int(o.status & 0x7f) : Int((o.status >> 8) & 0xff)
    result.exitCode = code
    if lines.last?.hasPrefix("memory ") == true {
      (result.verdict, result.detail) = (.memory, "MemoryError (exit \(code))")
    } else if code == 0 {
      (result.verdict, result.detail) = (.passed, "")
    } else {
      (result.verdict, result.detail) = (
        .failed, exitedBySignal ? "killed by signal \(-code)" : "exited with status \(code)"
      )
    }
  }

  private static func split(_ line: String) -> (String, String) {
    guard let space = line.firstIndex(of: " ") else { return (line, "") }
    return (String(line[..<space]), String(line[line.index(after: space)...]))
  }

  /// Finds which namespaces work here by running `unshare` once (PID 1 in a fresh PID namespace).
  static func probe(_ config: SandboxConfig) -> SandboxCapabilities {
    let isRoot = getuid() == 0 && geteuid() == 0
    let variants: [(SandboxCapabilities.Namespaces, [String])] = [
      (.root, ["--net", "--pid", "--fork", "--kill-child"]),
      (.user, ["--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child"]),
    ]
    let script = "import os, socket; print(os.getpid(), len(socket.if_nameindex()))"
    for (kind, flags) in variants where kind == .user || isRoot {
      let argv = [config.unshare] + flags + ["--", config.python, "-I", "-S", "-c", script]
      let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
      defer { close(devNull) }
      guard
        let o = try? SandboxProcess.run(
          argv: argv, env: ["PATH=/usr/bin:/bin"], jobFD: devNull, wallSeconds: 10, outputCap: 4096),
        o.status == 0, String(decoding: o.stdout, as: UTF8.self).hasPrefix("1 1")
      else { continue }
      return SandboxCapabilities(namespaces: kind, dropsPrivileges: kind == .root)
    }
    return SandboxCapabilities(namespaces: .none, dropsPrivileges: isRoot)
  }
}
