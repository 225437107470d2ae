import ArgumentParser
import Foundation
import Generation
import Models
import Tokenizers

/// `recheck logits --model DIR|FILE.gguf --prompt TEXT [--chat] --out FILE.json`: one forward pass,
/// written as `{"token_ids": [...], "logits": [[V floats] per position]}`. It is how a checkpoint
/// Recheck wrote is compared with another implementation's reading of it — `Scripts/check-hf-export.py`
/// loads the same directory with transformers and checks ids and logits position by position
/// (`--float64` on both sides: the same exact values, free of either side's Float32 rounding).
struct LogitsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "logits", abstract: "Write a prompt's token ids and every position's logits as JSON.")
  @OptionGroup var kernels: KernelOptions

  @Option(help: "Model directory or .gguf file.") var model: String
  @Option(help: "Prompt text.") var prompt: String
  @Flag(help: "Wrap the prompt as one user turn in the model's chat template.") var chat = false
  @Flag(help: "Dequantise a GGUF's weights to Float32 (as training does) instead of its quantized kernels.")
  var dequantize = false
  @Flag(
    name: .customLong("float64"),
    help: "Run the model in Float64: the exact logits that Float32 runs (ours, transformers') approximate.")
  var float64 = false
  @Option(help: "Output JSON file.") var out: String

  func run() throws {
    let bundle = try ModelBundle.load(
      URL(fileURLWithPath: model), keepQuantized: !dequantize, dtype: float64 ? .float64 : .float32)
    let ids = TextGeneration.promptIDs(
      TextGenerationConfig(prompt: prompt, chat: chat), tokenizer: bundle.tokenizer, template: bundle.template
    )
    let logits = bundle.model(ids, batch: 1).toDoubleArray()  // (1, T, V) flattened
    let v = bundle.model.config.vocabSize
    let rows = (0..<ids.count).map { t in Array(logits[(t * v)..<((t + 1) * v)]) }
    let data = try JSONSerialization.data(withJSONObject: ["token_ids": ids, "logits": rows])
    try AtomicFileWriter.write(data, to: URL(fileURLWithPath: out))
    print("\(ids.count) positions × \(v) logits → \(out)")
  }
}
