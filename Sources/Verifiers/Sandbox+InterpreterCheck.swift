import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The sandbox cannot run programs at all; the message says why and what to change.
public struct SandboxUnavailableError: Error, CustomStringConvertible {
  public let description: String
}

extension Sandbox {
  /// A sandbox whose interpreter has been seen to work: a trivial program (`import typing`, a stdlib
  /// module that is not frozen into the interpreter) is run through the whole sandbox path, as the
  /// unprivileged user when privileges are dropped. An interpreter that user cannot read — a venv under
  /// a 0700 home while running as root — starts without its standard library, and every program that
  /// imports from it would "fail" as if graded; this refuses such a sandbox at start instead.
  public static func checked(config: SandboxConfig) throws -> Sandbox {
    let sandbox = Sandbox(config: config)
    try sandbox.checkInterpreter()
    return sandbox
  }

  public func checkInterpreter() throws {
    var limits = config.limits
    limits.wallSeconds = max(limits.wallSeconds, 10)
    limits.cpuSeconds = max(limits.cpuSeconds, 10)
    let probe = runBlocking(SandboxJob(program: "import typing\n", tests: "", limits: limits))
    guard probe.verdict != .passed else { return }
    let who =
      capabilities.dropsPrivileges
      ? "the unprivileged sandbox user (uid \(config.sandboxUID))" : "the sandbox"
    var message =
      "the sandbox interpreter \(config.python) does not work for \(who): a test program `import typing` "
      + "gave \(probe.verdict.rawValue): \(probe.detail)"
    let stderr = probe.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    if !stderr.isEmpty { message += "; stderr: \(stderr.suffix(300))" }
    if capabilities.dropsPrivileges, let closed = Self.closedDirectory(on: config.python) {
      message +=
        ". \(closed) is not searchable by other users, so uid \(config.sandboxUID) cannot read the "
        + "interpreter or its standard library"
    }
    message +=
      ". Use an interpreter every user can read (e.g. /usr/bin/python3, or a venv outside a private home)."
    throw SandboxUnavailableError(description: message)
  }

  /// The first directory on the way to `path` (or to what it links to) that others cannot enter.
  static func closedDirectory(on path: String) -> String? {
    var candidates = [path]
    if let resolved = realpath(path, nil) {
      candidates.append(String(cString: resolved))
      free(resolved)
    }
    for candidate in candidates {
      var dir = ""
      for part in candidate.split(separator: "/").dropLast() {
        dir += "/" + part
        var st = stat()
        if stat(dir, &st) == 0 && st.st_mode & 0o001 == 0 {
          return "\(dir) (mode \(String(st.st_mode & 0o777, radix: 8)))"
        }
      }
    }
    return nil
  }
}
