import Foundation
import Models
import Tokenizers

/// `LanguageModel` over an in-process `Transformer`. Requests with equal sampling parameters are
/// batched together (up to `maxBatch` sequences per forward pass); chat prompts are rendered with
/// `template` and end-of-turn/EOS tokens stop generation.
///
/// Calls are serialised with a lock: the model's weights may be updated between calls (RL), but
/// never during one.
public final class NativeLanguageModel: LanguageModel, @unchecked Sendable {
  public let name: String
  public let model: Transformer
  public let tokenizer: any Tokenizer
  public let template: ChatTemplate
  public let maxBatch: Int
  private let lock = NSLock()

  public init(
    name: String = "native", model: Transformer, tokenizer: any Tokenizer, template: ChatTemplate,
    maxBatch: Int = 16
  ) {
    self.name = name
    self.model = model
    self.tokenizer = tokenizer
    self.template = template
    self.maxBatch = max(1, maxBatch)
  }

  /// Token ids of a prompt as this model sees it.
  public func encode(_ prompt: Prompt) -> [Int] {
    switch prompt {
    case .text(let s):
      var ids = tokenizer.encode(s)
      if ids.isEmpty, let bos = tokenizer.bosTokenID ?? tokenizer.eosTokenID { ids = [bos] }
      return ids
    case .chat(let messages):
      return tokenizer.encodeWithSpecial(template.render(messages, addGenerationPrompt: true))
    }
  }

  /// Stop ids: the caller's, plus EOS and the template's end-of-turn token when it is one token.
  func stopIDs(_ params: SamplingParams) -> [Int] {
    var ids = params.stopTokenIDs
    if let eos = tokenizer.eosTokenID { ids.append(eos) }
    if let eot = tokenizer.specialTokenID(template.endOfTurn) { ids.append(eot) }
    return Array(Set(ids)).sorted()
  }

  public func complete(_ requests: [CompletionRequest]) async throws -> [[GeneratedSequence]] {
    lock.withLock { completeSync(requests) }
  }

  /// The synchronous core of `complete` (for callers outside async contexts).
  public func completeSync(_ requests: [CompletionRequest]) -> [[GeneratedSequence]] {
    // Flatten to (request, sample) jobs, group by sampling parameters, run in batches.
    var results = requests.map { [GeneratedSequence?](repeating: nil, count: $0.n) }
    var jobs: [(r: Int, j: Int)] = []
    for (r, req) in requests.enumerated() { for j in 0..<req.n { jobs.append((r, j)) } }
    var groups: [SamplingParams: [(r: Int, j: Int)]] = [:]
    var order: [SamplingParams] = []
    for job in jobs {
      let p = requests[job.r].params
      if groups[p] == nil { order.append(p) }
      groups[p, default: []].append(job)
    }
    let generator = Generator(model: model, tokenizer: tokenizer)
    for p in order {
      var params = p
      params.stopTokenIDs = stopIDs(p)
      let group = groups[p]!
      for start in stride(from: 0, to: group.count, by: maxBatch) {
        let chunk = group[start..<min(start + maxBatch, group.count)]
        let prompts = chunk.map { encode(requests[$0.r].prompt) }
        let seeds = chunk.map { requests[$0.r].seed &+ UInt64($0.j) }
        let outs = generator.generate(prompts: prompts, params: params, seeds: seeds)
        for (job, out) in zip(chunk, outs) { results[job.r][job.j] = out }
      }
    }
    return results.map { $0.map { $0! } }
  }
}
