import Datasets
import Foundation
import Models
import Rollouts
import TensorCore
import Testing
import Tokenizers
import Training

@testable import recheck

/// `recheck s2r rl` / `s2r sample` on a real-checkpoint layout: a tiny chat-template BPE model saved
/// as a Hugging Face directory, 2 GSM8K-style problems (plus one row without an answer, skipped).
/// Checks the RL prompt equals what `sft` trains on token by token, and that online RL (with a
/// resume), `s2r sample` and offline RL run and write Hugging Face directories that load again.
struct S2RRLCommandTests {
  static let chatML =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    + "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"

  /// A fresh directory with `model/` (the tiny HF model) and `math.jsonl`.
  static func fixture() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "s2r-rl-cmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let bytes = (0..<256).map { String(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0])!) }
    let tokenizer = try BPETokenizer(
      gguf: GGUFTokenizerMetadata(
        tokens: bytes + ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "\n\nWait"], merges: [],
        tokenTypes: Array(repeating: 1, count: 256) + [3, 3, 3, 4], eosTokenID: 258))
    var rng = SeededRNG(seed: 7)
    let model = Transformer(
      config: ModelConfig(
        vocabSize: 260, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1, numAttentionHeads: 2,
        numKeyValueHeads: 1, maxPositionEmbeddings: 256),
      rng: &rng)
    let start = TrainingModel(
      bundle: ModelBundle(
        model: model, tokenizer: tokenizer, template: ChatTemplate(detectingFrom: chatML),
        chatTemplateSource: chatML))
    try start.save(model, to: root.appendingPathComponent("model"))
    let rows = [
      #"{"question": "Half of 1?", "answer": "1 / 2 = 0.5\n#### 0.5"}"#,
      #"{"question": "No answer here?"}"#,
      #"{"question": "2+2?", "answer": "2+2 = 4\n#### 4"}"#,
    ]
    try (rows.joined(separator: "\n") + "\n").write(
      to: root.appendingPathComponent("math.jsonl"), atomically: true, encoding: .utf8)
    return root
  }

  @Test func rlPromptIsTheTokenLayoutSFTTrainsOn() throws {
    let root = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let model = try TrainingModel.load(root.appendingPathComponent("model").path)
    #expect(model.isBPE)
    let problems = try S2RProblemSource.load(
      root.appendingPathComponent("math.jsonl").path, template: model.template, command: "test")
    #expect(problems.map(\.answer) == ["0.5", "4"])
    let layout = S2RSupport.layout(model)
    for p in problems {
      let trajectory = "It is \\boxed{\(p.answer)}."
      // What `s2r collect` writes for this problem, and what `sft` makes of it.
      let (prompt, answer) = S2RBenchmarkCollector.chatFormat(template: model.template)(
        Self.userTurn(p), trajectory)
      let example = S2RSFTExample(id: p.id, prompt: prompt, answer: answer, wrongAttempts: 0)
      let sft = try #require(SFTCommand.sequences([example], model: model).first)
      let rl = layout.encodePrompt(p.text, tokenizer: model.tokenizer)
      #expect(Array(sft.tokens.prefix(rl.count)) == rl)
      #expect(sft.tokens.count == rl.count + model.tokenizer.encode(trajectory).count + 1)
      #expect(sft.tokens.last == 257)  // <|im_end|>
      #expect(sft.weights.prefix(rl.count).allSatisfy { $0 == 0 })
      // Special tokens are single ids: <|im_start|> opens system, user and assistant turns.
      #expect(rl.filter { $0 == 256 }.count == 3)
      #expect(rl.suffix(11) == [256] + Array("assistant\n".utf8).map(Int.init))
    }
  }

  /// The problem text (user turn) the source read.
  static func userTurn(_ p: S2RRLProblem) -> String {
    guard case .chat(let messages) = p.request else { return "" }
    return messages.last?.content ?? ""
  }

  @Test func onlineSampleAndOfflineRunsWriteHuggingFaceDirectories() async throws {
    let root = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let model = root.appendingPathComponent("model").path
    let data = root.appendingPathComponent("math.jsonl").path
    let run = root.appendingPathComponent("run")
    func online(steps: Int) throws {
      let command = try S2RRLCommand.parse([
        "--model", model, "--data", data, "--out", run.path, "--steps", "\(steps)", "--prompts", "2",
        "--samples", "2", "--max-tokens", "8", "--checkpoint-every", "1", "--kl", "0.5",
      ])
      try command.run()
    }
    try online(steps: 1)
    for dir in ["model", "checkpoint"] {
      for file in ["tokenizer.json", "tokenizer_config.json", "generation_config.json", "model.safetensors"] {
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("\(dir)/\(file)").path))
      }
    }
    // A resumed run (one more step) starts from the checkpoint and can still write its model.
    try online(steps: 2)
    let lines = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
      .split(separator: "\n")
    #expect(lines.count == 2)
    let trained = try TrainingModel.load(run.appendingPathComponent("model").path)
    #expect(trained.isBPE)
    #expect(trained.template == ChatTemplate(detectingFrom: Self.chatML))
    #expect(trained.tokenizer.encode("\n\nWait") == [259])

    // s2r sample on the same problems: records carry the chat prompt and grade with MathGrader.
    let sampled = root.appendingPathComponent("sampled.jsonl")
    let sample = try S2RSampleCommand.parse([
      "--model", model, "--data", data, "--out", sampled.path, "--samples", "2", "--max-tokens", "8",
    ])
    try await sample.run()
    let records = try JSONLReader.read(S2ROfflineRecord.self, from: sampled)
    let loaded = try TrainingModel.load(model)
    #expect(records.map(\.check) == [.math, .math])
    #expect(
      records.first?.prompt
        == S2RRLProblem.math(id: "", problem: "Half of 1?", gold: "", template: loaded.template).text)
    #expect(records.allSatisfy { $0.responses.count == 2 })

    // Offline RL from hand-made MATH records (a random model is never right).
    let offline = root.appendingPathComponent("offline.jsonl")
    var record = try #require(records.first)
    record.responses = [
      "It is \\boxed{0.5}\n\nWait, half. Therefore, the answer is correct.",
      "It is \\boxed{3}\n\nWait, too big. Therefore, the answer is incorrect.",
    ]
    record.scores = [true, false]
    try String(decoding: try JSONEncoder().encode(record), as: UTF8.self).appending("\n").write(
      to: offline, atomically: true, encoding: .utf8)
    let offlineRun = root.appendingPathComponent("offline-run")
    let command = try S2RRLCommand.parse([
      "--model", model, "--offline", offline.path, "--out", offlineRun.path, "--band-low", "0", "--band-high",
      "1",
      "--batch", "2", "--warmup", "0",
    ])
    try command.run()
    let config = try String(contentsOf: offlineRun.appendingPathComponent("config.json"), encoding: .utf8)
    #expect(config.contains(#""positives" : 1"#))
    let offlineModel = try TrainingModel.load(offlineRun.appendingPathComponent("model").path)
    #expect(offlineModel.isBPE)
    #expect(
      FileManager.default.fileExists(
        atPath: offlineRun.appendingPathComponent("model/tokenizer_config.json").path))
  }
}
