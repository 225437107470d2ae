import Datasets
import Foundation
import Generation
import Tokenizers

@testable import Evaluation

/// A `LanguageModel` that answers from a script: `respond(prompt, seed)` gives the text. Requests
/// are logged so tests can check contexts and seeds.
final class ScriptedModel: LanguageModel, @unchecked Sendable {
  let name = "scripted"
  let respond: @Sendable (Prompt) -> String
  private let lock = NSLock()
  private var _log: [CompletionRequest] = []

  init(_ respond: @escaping @Sendable (Prompt) -> String) { self.respond = respond }

  var log: [CompletionRequest] { lock.withLock { _log } }

  func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
    lock.withLock { _log += requests }
    return requests.map { r in
      (0..<r.n).map { _ in
        let text = respond(r.prompt)
        return GeneratedSequence(
          tokens: Array(repeating: 1, count: text.count), text: text, logProbs: [], finishReason: .stopToken)
      }
    }
  }
}

/// The last user message or the text of a prompt.
func lastUser(_ p: Prompt) -> String {
  switch p {
  case .text(let s): return s
  case .chat(let m): return m.last { $0.role == "user" }?.content ?? ""
  }
}

/// Number of earlier attempts in a SCoRe context (assistant turns).
func previousAttempts(_ p: Prompt) -> Int {
  if case .chat(let m) = p { return m.count { $0.role == "assistant" } }
  return 0
}

func mathItem(_ i: Int, question: String, answer: String) -> EvalItem {
  EvalItem(
    index: i,
    problem: Problem(
      id: "p\(i)", prompt: question, kind: .math, reference: .answer(answer), source: "test"), task: .math)
}

func temporaryDirectory(_ name: String) -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "recheck-evaltests-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
  try? FileManager.default.removeItem(at: url)
  try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
