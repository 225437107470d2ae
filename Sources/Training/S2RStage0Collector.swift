import Datasets
import Foundation
import Generation
import Models
import Rollouts
import Tokenizers

/// Resumable S²R stage 0 over a synthetic problem list (spec §2): problems are cut into fixed
/// chunks aligned to their index in the list; each chunk is sampled, verified and assembled
/// (`S2RBehaviourData`), its `S2RSFTExample` records are appended to a `ResumableJSONLWriter`
/// keyed by record id, and then a chunk marker is appended to a second resumable file
/// (`<output>.chunks.jsonl`, `{"id":"chunk-3/64","problems":64,"records":17}`).
///
/// Resuming: a chunk with a marker for the same number of problems is skipped; any other chunk is
/// recomputed whole (so the batch composition and seeds match an uninterrupted run) and only the
/// records whose id is not yet in the output are appended. Every random draw depends on the
/// problem's index only — sampling seeds are `seed + index·7919 + k` exactly as in a single
/// `sample` call, and trajectory assembly of problem i uses its own generator — so an
/// interrupted-then-resumed run writes the same lines, in the same order, as an uninterrupted one.
/// Problem ids are the problem texts (as in `S2RBehaviourData`), so the list must be free of
/// duplicate texts (`deduplicated`).
public struct S2RStage0Collector {
  /// Samples the attempts of `problems`, whose first element sits at `firstIndex` of the full list.
  public typealias Sampler = (_ problems: [SyntheticProblem], _ firstIndex: Int) async throws
    -> [S2RStage0Problem]

  public var data: S2RBehaviourData
  public var chunkSize: Int
  public var sampler: Sampler

  /// What a `collect` call did.
  public struct Summary: Sendable, Equatable {
    public var chunks = 0
    public var skippedChunks = 0
    public var written = 0
    public var alreadyPresent = 0
  }

  /// Collector sampling with `base` (the paper's stage 0: K samples of the policy per problem).
  public init(data: S2RBehaviourData, base: Transformer, tokenizer: CharTokenizer, chunkSize: Int = 64) {
    self.init(data: data, chunkSize: chunkSize) { problems, first in
      var d = data
      // sample(...) seeds attempt k of its i-th problem with seed + i·7919 + k; shifting the seed
      // by first·7919 gives the seeds a whole-list call would use.
      d.seed = data.seed &+ UInt64(first) &* 7_919
      return d.sample(base: base, tokenizer: tokenizer, problems: problems)
    }
  }

  /// Collector sampling through `model` — typically an OpenAI-compatible server
  /// (`--api-base URL --model NAME`); seeds as in the native collector, so the server's own seeding
  /// decides reproducibility. `maxNewTokens` bounds every attempt.
  public init(data: S2RBehaviourData, model: any LanguageModel, maxNewTokens: Int = 96, chunkSize: Int = 64) {
    self.init(data: data, chunkSize: chunkSize) { problems, first in
      var d = data
      d.seed = data.seed &+ UInt64(first) &* 7_919
      return try await d.sample(model: model, problems: problems, maxNewTokens: maxNewTokens)
    }
  }

  /// Collector with an explicit sampler (tests; other attempt sources).
  public init(data: S2RBehaviourData, chunkSize: Int = 64, sampler: @escaping Sampler) {
    precondition(chunkSize > 0, "chunkSize must be positive")
    self.data = data
    self.chunkSize = chunkSize
    self.sampler = sampler
  }

  /// The chunk-marker file kept next to `output`.
  public static func chunkFile(for output: URL) -> URL {
    output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".chunks.jsonl")
  }

  /// `problems` without later repeats of a problem text (ids are texts), in order.
  public static func deduplicated(_ problems: [SyntheticProblem]) -> [SyntheticProblem] {
    var seen = Set<String>()
    return problems.filter { seen.insert($0.text).inserted }
  }

  struct ChunkMarker: Codable {
    var id: String
    var problems: Int
    var records: Int
  }

  /// Runs (or resumes) stage 0 on `problems`, appending to `output`; `progress` is called after
  /// each chunk with (problems done, total).
  public func collect(
    problems: [SyntheticProblem], output: URL, progress: (Int, Int) -> Void = { _, _ in }
  ) async throws -> Summary {
    let texts = Set(problems.map(\.text))
    precondition(texts.count == problems.count, "duplicate problem texts; call deduplicated(_:) first")
    let writer = try ResumableJSONLWriter(url: output)
    let markers = try ResumableJSONLWriter(url: Self.chunkFile(for: output))
    var summary = Summary()
    for start in stride(from: 0, to: problems.count, by: chunkSize) {
      let chunk = Array(problems[start..<min(start + chunkSize, problems.count)])
      // The id names the chunk's size too: a chunk cut short by a shorter list is not "done".
      let chunkID = "chunk-\(start / chunkSize)/\(chunk.count)"
      summary.chunks += 1
      if markers.isFinished(chunkID) {
        summary.skippedChunks += 1
        progress(start + chunk.count, problems.count)
        continue
      }
      let sampled = try await sampler(chunk, start)
      var written = 0
      var chunkRecords = 0
      for (offset, s) in sampled.enumerated() {
        var d = data
        // One generator per problem index, so assembly does not depend on chunk boundaries.
        d.seed = data.seed &+ UInt64(start + offset) &* 0x9E37_79B9_7F4A_7C15
        for example in try await d.build([s], problems: [chunk[offset]]) {
          chunkRecords += 1
          if writer.isFinished(example.id) {
            summary.alreadyPresent += 1
          } else {
            try writer.append(example, id: example.id)
            written += 1
          }
        }
      }
      summary.written += written
      try markers.append(ChunkMarker(id: chunkID, problems: chunk.count, records: chunkRecords), id: chunkID)
      progress(start + chunk.count, problems.count)
    }
    return summary
  }
}
