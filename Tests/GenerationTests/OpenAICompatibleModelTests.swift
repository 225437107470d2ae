import Foundation
import TestSupport
import XCTest

@testable import Generation

#if canImport(Glibc)
  import Glibc
#endif

/// `OpenAICompatibleModel` against a real OpenAI-compatible server: llama-cpp-python's server with
/// SmolLM2-135M-Instruct (Q4_1), started on a free loopback port by Scripts/start-llamacpp-server.sh.
/// Skips loudly when the venv or the model is missing (Scripts/setup-llamacpp-server.sh sets them up).
final class OpenAICompatibleModelTests: XCTestCase {
  nonisolated(unsafe) static var server: LlamaCppTestServer?
  nonisolated(unsafe) static var skipReason: String?
  nonisolated(unsafe) static var startFailure: String?
  static var port: Int { server?.port ?? 0 }

  override class func setUp() {
    switch LlamaCppTestServer.start() {
    case .running(let s): server = s
    case .unavailable(let reason):
      skipReason = reason
      print("OpenAICompatibleModelTests: \(reason)")
    case .failed(let why): startFailure = why
    }
  }

  override class func tearDown() {
    server?.stop()
    server = nil
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
