/// Which isolation this machine really gives, found by probing once (`Sandbox.init`). Always in force:
/// wall clock (parent kills the group), CPU/address-space/file-size/open-file rlimits, output cap, audit
/// hook (no subprocesses, signals, sockets, ctypes, tracing), fresh work dir, group SIGKILL at the end.
public struct SandboxCapabilities: Codable, Sendable, Equatable {
  public enum Namespaces: String, Codable, Sendable {
    /// `unshare --net --pid` as real root: empty network namespace, own PID namespace.
    case root
    /// `unshare --user --map-root-user --net --pid` for an unprivileged caller.
    case user
    /// No namespaces could be made: network is only blocked by the audit hook.
    case none
  }

  public var namespaces: Namespaces
  /// Untrusted code runs as `sandboxUID` (needs real root and no user namespace): RLIMIT_NPROC then
  /// counts, and files outside the work dir owned by root cannot be touched.
  public var dropsPrivileges: Bool
  /// Jobs are forked from pre-started interpreters (`SandboxForkServer`), each child PID 1 of its own
  /// PID namespace; false: one interpreter is spawned per job.
  public var forkServer: Bool = false

  /// One plain sentence per limit, for logs and reports.
  public var summary: String {
    var lines: [String] = []
    switch namespaces {
    case .root, .user:
      lines.append("network: fresh network namespace (\(namespaces.rawValue)) — no interface but lo")
      lines.append("processes: own PID namespace, killed whole when the run ends")
    case .none:
      lines.append("network: NO network namespace available; sockets are blocked only by the audit hook")
      lines.append("processes: no PID namespace; process group killed at the end")
    }
    lines.append(
      dropsPrivileges
        ? "user: untrusted code runs as an unprivileged uid; RLIMIT_NPROC enforced"
        : "user: NOT dropped (caller is not real root); RLIMIT_NPROC does not bind, fork blocked by audit hook"
    )
    if forkServer {
      lines.append("start-up: forked from pre-started interpreters; each job PID 1 of its own PID namespace")
    }
    lines.append(
      "always: wall clock, RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_NOFILE, output cap, audit hook")
    return lines.joined(separator: "\n")
  }
}
