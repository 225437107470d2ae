import ArgumentParser
import Foundation
import Generation
import Models
import TensorCore
import Tokenizers

/// `recheck bench generate`: SmolLM2-135M decoding speed, quantized (Q4_1 kernels, F16 KV cache)
/// and Float32 (dequantised weights, BLAS), next to llama.cpp measured in the same run by
/// Scripts/bench_generate_peer.py (llama-cpp-python's C API, same prompt ids, same thread count).
///
/// Figures (medians over `--repeats` runs; definitions identical on both sides):
/// - decode tokens/s, batch 1, greedy: (N−1) / seconds from the first sampled token to the N-th;
/// - batched sampling tokens/s: B sequences of the same prompt, temperature T, each its own seed,
///   N new tokens each (no early stop): B·N / wall seconds, prefill included.
struct BenchGenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate", abstract: "SmolLM2 decode and batched sampling tokens/s, next to llama.cpp.")
  @OptionGroup var kernels: KernelOptions

  @Option(help: "GGUF file (default: the SmolLM2 file cached by Scripts/fetch-smollm2.sh).")
  var model: String?
  @Option(
    help: "Python with llama-cpp-python for the peer (default: ~/.cache/recheck/venv-llamacpp/bin/python).")
  var python: String?
  @Option(help: "Tokens per batch-1 decode run.")
  var decodeTokens = 64
  @Option(help: "Sequences in the batched run.")
  var batch = 16
  @Option(help: "New tokens per sequence in the batched run.")
  var newTokens = 128
  @Option(help: "Sampling temperature of the batched run.")
  var temperature = 0.8
  @Option(help: "Timed runs per figure (median reported).")
  var repeats = 3
  @Option(help: "Threads (Recheck's kernels and BLAS, llama.cpp's n_threads).")
  var threads = 2
  @Flag(help: "Skip the Float32 batched run (the slowest figure).")
  var skipFloat32Batched = false
  @Flag(help: "Measure batch-1 decoding only (no batched runs, on either side).")
  var decodeOnly = false
  @Flag(help: "Skip the llama.cpp peer.")
  var noPeer = false
  @Flag(help: "Run llama.cpp with OMP_WAIT_POLICY=passive (its spinning threads collapse on shared cores).")
  var peerOmpPassive = false

  func run() throws {
    BLASThreads.set(threads)
    let cache = BenchClock.cacheDirectory
    let path = model ?? cache + "/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    guard FileManager.default.fileExists(atPath: path) else {
      throw ValidationError("\(path) does not exist; run `bash Scripts/fetch-smollm2.sh` or pass --model")
    }
    let quantized = try ModelBundle.load(URL(fileURLWithPath: path), keepQuantized: true)
    let float32 = try ModelBundle.load(URL(fileURLWithPath: path), keepQuantized: false)
    let prompt = TextGeneration.promptIDs(
      TextGenerationConfig(prompt: "What is 12 * 13? Explain step by step.", chat: true),
      tokenizer: quantized.tokenizer, template: quantized.template)
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(
      3)
    print(
      "model: \(path); prompt \(prompt.count) tokens; \(threads) threads; medians of \(repeats) runs; "
        + "load average \(load?.joined(separator: " ") ?? "?") on \(ProcessInfo.processInfo.activeProcessorCount) cores"
    )

    var peer: [String: Double] = [:]
    if !noPeer {
      let script = BenchClock.script("bench_generate_peer.py")
      do {
        peer = try BenchClock.runPeer(
          python: python ?? cache + "/venv-llamacpp/bin/python", script: script,
          arguments: [
            path, "--prompt-ids", prompt.map(String.init).joined(separator: ","), "--decode-tokens",
            "\(decodeTokens)", "--batch", "\(batch)", "--new-tokens", "\(newTokens)", "--temperature",
            "\(temperature)", "--repeats", "\(repeats)", "--threads", "\(threads)",
          ] + (peerOmpPassive ? ["--omp-passive"] : []) + (decodeOnly ? ["--skip-batched"] : []))
      } catch {
        FileHandle.standardError.write(Data("peer unavailable: \(error)\n".utf8))
      }
    }
    let rows: [(String, Double?, String)] = [
      ("decode b=1 greedy, Q4_1 kernels", median { decodeRate(quantized.model, prompt) }, "decode_tps"),
      ("decode b=1 greedy, Float32", median { decodeRate(float32.model, prompt) }, "decode_tps"),
      (
        "batched b=\(batch)×\(newTokens), Q4_1",
        decodeOnly ? nil : median { batchedRate(quantized.model, prompt) },
        "batched_tps"
      ),
      (
        "batched b=\(batch)×\(newTokens), Float32",
        skipFloat32Batched || decodeOnly ? nil : median { batchedRate(float32.model, prompt) }, "batched_tps"
      ),
    ]
    print(
      "figure".padding(toLength: 36, withPad: " ", startingAt: 0) + "Recheck tok/s".padLeft(15)
        + "llama.cpp tok/s".padLeft(17) + "Recheck/llama.cpp".padLeft(19))
    for (label, mine, key) in rows {
      guard let mine else { continue }
      let other = peer[key]
      print(
        label.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%.1f", mine).padLeft(15)
          + (other.map { String(format: "%.1f", $0) } ?? "-").padLeft(17)
          + (other.map { String(format: "%.2f×", mine / $0) } ?? "-").padLeft(19))
    }
    print(
      "llama.cpp: Q4_1 weights for every row (its F32 path is not measured); F16 KV cache; same prompt ids")
  }

  private func median(_ body: () -> Double) -> Double {
    BenchClock.median((0..<max(repeats, 1)).map { _ in body() })
  }

  /// Batch-1 greedy decode rate (prefill excluded), as the peer measures it.
  func decodeRate(_ model: Transformer, _ prompt: [Int]) -> Double {
    let generator = Generator(model: model, halfPrecisionCache: model.isQuantized)
    var first = 0.0
    var last = 0.0
    var count = 0
    _ = generator.generate(prompts: [prompt], params: .greedy(maxNewTokens: decodeTokens), seeds: [0]) {
      _, _ in
      count += 1
      last = BenchClock.now()
      if count == 1 { first = last }
    }
    return Double(count - 1) / (last - first)
  }

  /// Batched sampling throughput (prefill included), as the peer measures it.
  func batchedRate(_ model: Transformer, _ prompt: [Int]) -> Double {
    let generator = Generator(model: model, halfPrecisionCache: model.isQuantized)
    let params = SamplingParams(temperature: temperature, maxNewTokens: newTokens)
    let start = BenchClock.now()
    let out = generator.generate(
      prompts: Array(repeating: prompt, count: batch), params: params,
      seeds: (0..<batch).map { 1000 + UInt64($0) })
    let tokens = out.reduce(0) { $0 + $1.tokens.count }
    return Double(tokens) / (BenchClock.now() - start)
  }
}
