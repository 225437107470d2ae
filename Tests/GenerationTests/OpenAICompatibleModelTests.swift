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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("recheck-llamacpp-\(port).log")
      .path
    process.arguments = [
      repoRoot.appendingPathComponent("Scripts/start-llamacpp-server.sh").path, "\(port)", model, log,
    ]
    let out = Pipe()
    process.standardOutput = out
    do {
      try process.run()
      process.waitUntilExit()
    } catch {
      skipReason = "SKIPPED: could not run start-llamacpp-server.sh: \(error)"
      return
    }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard process.terminationStatus == 0,
      let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    else {
      skipReason = "SKIPPED: llama.cpp server did not start (exit \(process.terminationStatus); log \(log))"
      print("OpenAICompatibleModelTests: \(skipReason!)")
      return
    }
    serverPID = pid
  }

  override class func tearDown() {
    if let pid = serverPID {
      kill(pid, SIGTERM)
      serverPID = nil
    }
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
