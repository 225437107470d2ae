import Foundation
import XCTest

@testable import Generation

#if canImport(Glibc)
  import Glibc
#endif

/// `OpenAICompatibleModel` against a real OpenAI-compatible server: llama-cpp-python's server with
/// SmolLM2-135M-Instruct (Q4_1), started on a free loopback port by Scripts/start-llamacpp-server.sh.
/// Skips loudly when the venv or the model is missing (Scripts/setup-llamacpp-server.sh sets them up).
final class OpenAICompatibleModelTests: XCTestCase {
  nonisolated(unsafe) static var serverPID: Int32?
  nonisolated(unsafe) static var port = 0
  nonisolated(unsafe) static var skipReason: String?
  nonisolated(unsafe) static var startFailure: String?

  static var repoRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  override class func setUp() {
    let cache = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/recheck")
    let python = cache.appendingPathComponent("venv-llamacpp/bin/python").path
    let model = cache.appendingPathComponent("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf").path
    guard FileManager.default.isExecutableFile(atPath: python), FileManager.default.fileExists(atPath: model)
    else {
      skipReason =
        "SKIPPED: llama.cpp server or SmolLM2 GGUF missing (\(python), \(model)); run Scripts/setup-llamacpp-server.sh"
      print("OpenAICompatibleModelTests: \(skipReason!)")
      return
    }
    port = freeLoopbackPort()
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("recheck-llamacpp-\(port).log")
      .path
    // The PID goes through a file, not a pipe: the backgrounded server inherits the script's
    // descriptors, so a pipe would never reach end-of-file. posix_spawn + waitpid rather than
    // Foundation's Process, whose waitUntilExit did not return here once the script had exited.
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "recheck-llamacpp-\(port).pid"
    ).path
    defer { try? FileManager.default.removeItem(atPath: pidFile) }
    let script = repoRoot.appendingPathComponent("Scripts/start-llamacpp-server.sh").path
    let status = spawnAndWait(["/bin/bash", script, "\(port)", model, log], stdoutPath: pidFile)
    let text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? ""
    guard status == 0, let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      // The dependencies are there, so a server that does not come up is a failure, not a skip.
      startFailure = "llama.cpp server did not start (exit \(status); log \(log))"
      return
    }
    serverPID = pid
  }

  override class func tearDown() {
    if let pid = serverPID {
      kill(pid, SIGTERM)  // the server's own PID, from the start script
      serverPID = nil
    }
  }

  /// Runs `argv` with stdout to a file; returns its exit status (-1 if it could not start).
  static func spawnAndWait(_ argv: [String], stdoutPath: String) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else { return -1 }
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

  func model(logProbs: Bool = false) throws -> OpenAICompatibleModel {
    if let reason = Self.skipReason { throw XCTSkip(reason) }
    if let failure = Self.startFailure {
      XCTFail(failure)
      throw OpenAIBackendError.transport(failure)
    }
    return try OpenAICompatibleModel(
      config: OpenAIBackendConfig(
        baseURL: "http://127.0.0.1:\(Self.port)/v1", model: "smollm2", maxConcurrency: 2, maxRetries: 2,
        timeout: 120,
        requestLogProbs: logProbs))
  }

  func testGreedyTextCompletionIsReproducibleAndHasLogProbs() async throws {
    let m = try model(logProbs: true)
    let req = CompletionRequest(prompt: .text("The capital of France is"), params: .greedy(maxNewTokens: 8))
    let a = try await m.complete([req])
    let b = try await m.complete([req])
    XCTAssertEqual(a[0].count, 1)
    XCTAssertFalse(a[0][0].text.isEmpty)
    XCTAssertEqual(a[0][0].text, b[0][0].text)
    XCTAssertEqual(a[0][0].finishReason, .length)
    // llama.cpp returns one log-probability per generated token, each ≤ 0.
    XCTAssertEqual(a[0][0].logProbs.count, 8)
    XCTAssertTrue(a[0][0].logProbs.allSatisfy { $0 <= 0 && $0.isFinite }, "\(a[0][0].logProbs)")
    XCTAssertTrue(a[0][0].tokens.isEmpty, "llama-cpp-python returns no token ids")
  }

  func testStopStringCutsTheGreedyTextWhereItFirstAppears() async throws {
    let m = try model()
    let prompt = Prompt.text("Count with me: 1, 2, 3, 4,")
    let free = try await m.complete([CompletionRequest(prompt: prompt, params: .greedy(maxNewTokens: 12))])[
      0][0].text
    guard let cut = free.range(of: ",") else {
      throw XCTSkip("greedy text has no comma to stop at: \(free.debugDescription)")
    }
    var params = SamplingParams.greedy(maxNewTokens: 12)
    params.stopStrings = [","]
    let stopped = try await m.complete([CompletionRequest(prompt: prompt, params: params)])[0][0]
    XCTAssertEqual(stopped.text, String(free[..<cut.lowerBound]))
    XCTAssertNotEqual(stopped.finishReason, .length)
  }

  func testSeededSamplesAreReproducibleAndNSamplesComeBack() async throws {
    let m = try model()
    let params = SamplingParams(temperature: 1.0, topP: 1, maxNewTokens: 8)
    let req = CompletionRequest(prompt: .text("Once upon a time"), params: params, n: 2, seed: 7)
    let a = try await m.complete([req])
    let b = try await m.complete([req])
    XCTAssertEqual(a[0].count, 2)
    XCTAssertEqual(a[0].map(\.text), b[0].map(\.text), "same seeds, same samples")
    let other = try await m.complete([CompletionRequest(prompt: req.prompt, params: params, n: 2, seed: 1007)]
    )
    XCTAssertNotEqual(a[0].map(\.text), other[0].map(\.text), "different seeds gave identical samples")
  }

  func testGreedyChatCompletionIsReproducible() async throws {
    let m = try model()
    let req = CompletionRequest(
      prompt: .chat([.system("You are a helpful assistant."), .user("What is 2 + 3?")]),
      params: .greedy(maxNewTokens: 10))
    let out = try await m.complete([req, req])
    XCTAssertEqual(out.map(\.count), [1, 1])
    XCTAssertFalse(out[0][0].text.isEmpty)
    XCTAssertEqual(out[0][0].text, out[1][0].text)
  }
}
