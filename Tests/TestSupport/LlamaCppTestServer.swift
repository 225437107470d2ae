import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// llama-cpp-python's OpenAI-compatible server with SmolLM2-135M-Instruct (Q4_1) on a free loopback
/// port, started by Scripts/start-llamacpp-server.sh, for integration tests of code that samples
/// through a server. `start()` returns `.unavailable` (skip loudly) when the venv or the model is
/// missing — Scripts/setup-llamacpp-server.sh sets them up — and `.failed` when they are there but
/// the server does not come up (a failure, not a skip).
public final class LlamaCppTestServer {
  public enum Outcome {
    case running(LlamaCppTestServer)
    case unavailable(String)
    case failed(String)
  }

  public let port: Int
  public let pid: Int32
  /// `http://127.0.0.1:PORT/v1`.
  public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

  init(port: Int, pid: Int32) {
    self.port = port
    self.pid = pid
  }

  private var stopped = false

  deinit { stop() }

  /// Stops the server (its own PID, from the start script); later calls do nothing.
  public func stop() {
    guard !stopped else { return }
    stopped = true
    kill(pid, SIGTERM)
  }

  public static var repoRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  public static func start() -> Outcome {
    let cache = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/recheck")
    let python = cache.appendingPathComponent("venv-llamacpp/bin/python").path
    let model = cache.appendingPathComponent("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf").path
    guard FileManager.default.isExecutableFile(atPath: python), FileManager.default.fileExists(atPath: model)
    else {
      return .unavailable(
        "SKIPPED: llama.cpp server or SmolLM2 GGUF missing (\(python), \(model)); "
          + "run Scripts/setup-llamacpp-server.sh")
    }
    let port = freeLoopbackPort()
    let tmp = FileManager.default.temporaryDirectory
    let log = tmp.appendingPathComponent("recheck-llamacpp-\(port).log").path
    // The PID goes through a file, not a pipe: the backgrounded server inherits the script's
    // descriptors, so a pipe would never reach end-of-file. posix_spawn + waitpid rather than
    // Foundation's Process, whose waitUntilExit did not return here once the script had exited.
    let pidFile = tmp.appendingPathComponent("recheck-llamacpp-\(port).pid").path
    defer { try? FileManager.default.removeItem(atPath: pidFile) }
    let script = repoRoot.appendingPathComponent("Scripts/start-llamacpp-server.sh").path
    let status = spawnAndWait(["/bin/bash", script, "\(port)", model, log], stdoutPath: pidFile)
    let text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? ""
    guard status == 0, let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      return .failed("llama.cpp server did not start (exit \(status); log \(log))")
    }
    return .running(LlamaCppTestServer(port: port, pid: pid))
  }

  /// Runs `argv` with stdout to a file; returns its exit status (-1 if it could not start).
  static func spawnAndWait(_ argv: [String], stdoutPath: String) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // The child would inherit this thread's signal mask, and XCTest's threads block SIGTERM: the
    // server then ignored `stop()`'s SIGTERM and outlived every test run. Start it with no signal
    // blocked and default dispositions.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
  }

  /// Binds port 0 on 127.0.0.1 and returns the port the kernel chose.
  static func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
    }
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
  }
}
