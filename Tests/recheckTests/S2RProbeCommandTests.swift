import Evaluation
import Foundation
import Models
import Rollouts
import TensorCore
import Testing
import Tokenizers
import Verifiers

@testable import recheck

/// `recheck s2r probe` end to end on a tiny char model saved like a demo stage: the options select
/// the checks (`--per-position`, `--min-checks`), the counts land in `--json`, and a file without a
/// check to probe is refused with its name.
struct S2RProbeCommandTests {
  static func fixture() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("s2r-probe-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let tokenizer = SyntheticFormat.tokenizer()
    var rng = SeededRNG(seed: 5)
    let model = Transformer(
      config: ModelConfig(
        vocabSize: tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1,
        numAttentionHeads: 2, numKeyValueHeads: 1, maxPositionEmbeddings: 512),
      rng: &rng)
    try model.save(
      to: root.appendingPathComponent("model"), tokenizer: .data(tokenizer.jsonData(), name: "tokenizer.json")
    )
    let c = S2RTrajectory.checkMarker
    let r = S2RTrajectory.retryMarker
    let no = "Check: L=. 2 3, not same. Therefore, the answer is incorrect."
    let yes = "Check: L=1 . ., T=5, 2+3=5, 5-5=0, same. Therefore, the answer is correct."
    let rows = [
      S2RSFTExample(
        id: "a", prompt: "L=1 2 3;T=5\n", answer: "2, 5-2=3. \\boxed{23}" + c + yes, wrongAttempts: 0),
      S2RSFTExample(
        id: "b", prompt: "L=1 2 3;T=5\n",
        answer: "1, 5-1=4. \\boxed{14}" + c + no + r + "2, 5-2=3. \\boxed{23}" + c + yes,
        wrongAttempts: 1),
      S2RSFTExample(
        id: "c", prompt: "L=1 2 3;T=5\n",
        answer: "1, 5-1=4. \\boxed{14}" + c + no + r + "3, 5-3=2. \\boxed{32}" + c + yes,
        wrongAttempts: 1),
    ]
    let lines = try rows.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    try (lines.joined(separator: "\n") + "\n").write(
      to: root.appendingPathComponent("sft.jsonl"), atomically: true, encoding: .utf8)
    try (lines[0] + "\n").write(
      to: root.appendingPathComponent("one.jsonl"), atomically: true, encoding: .utf8)
    return root
  }

  @Test func selectsChecksAndWritesCounts() async throws {
    let root = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("probe.json")
    let command = try S2RProbeCommand.parse([
      "--model", root.appendingPathComponent("model").path, "--data",
      root.appendingPathComponent("sft.jsonl").path,
      "--min-checks", "2", "--json", out.path,
    ])
    try await command.run()
    let results = try JSONDecoder().decode([S2RCheckProbe.PositionResult].self, from: Data(contentsOf: out))
    // Trajectories b and c have two checks each; a (one check) is skipped.
    #expect(results.map(\.position) == [1, 2])
    #expect(results.map(\.cases) == [2, 2])
    #expect(results.allSatisfy { $0.exact <= $0.cases && $0.verdictAgrees <= $0.cases })
    let capped = try S2RProbeCommand.parse([
      "--model", root.appendingPathComponent("model").path, "--data",
      root.appendingPathComponent("sft.jsonl").path,
      "--per-position", "1", "--json", out.path,
    ])
    try await capped.run()
    let one = try JSONDecoder().decode([S2RCheckProbe.PositionResult].self, from: Data(contentsOf: out))
    #expect(one.map(\.cases) == [1, 1])
  }

  @Test func refusesAFileWithoutTheChecksAsked() async throws {
    let root = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let data = root.appendingPathComponent("one.jsonl").path
    let command = try S2RProbeCommand.parse([
      "--model", root.appendingPathComponent("model").path, "--data", data, "--min-checks", "2",
    ])
    await #expect(throws: (any Error).self) { try await command.run() }
    do {
      try await command.run()
    } catch {
      #expect("\(error)".contains(data))
    }
    #expect(throws: (any Error).self) { try S2RProbeCommand.parse(["--data", data, "--per-position", "0"]) }
  }

  /// A prompt holding one of the tokenizer's special tokens (as a chat template's would) is refused,
  /// naming the example: plain-text prompts would spell it out.
  @Test func refusesChatTemplatedPrompts() async throws {
    let root = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let c = S2RTrajectory.checkMarker
    let row = S2RSFTExample(
      id: "chat", prompt: "<bos>L=1 2 3;T=5\n", answer: "2, 5-2=3. \\boxed{23}" + c + "Check: same.",
      wrongAttempts: 0)
    let file = root.appendingPathComponent("chat.jsonl")
    try (String(decoding: try JSONEncoder().encode(row), as: UTF8.self) + "\n").write(
      to: file, atomically: true, encoding: .utf8)
    let command = try S2RProbeCommand.parse([
      "--model", root.appendingPathComponent("model").path, "--data", file.path,
    ])
    do {
      try await command.run()
      Issue.record("a chat-templated prompt was probed")
    } catch {
      #expect("\(error)".contains("chat") && "\(error)".contains(file.path))
    }
  }
}
