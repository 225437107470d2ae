import ArgumentParser
import Foundation
import Models
import NN
import TensorCore

/// `recheck bench train`: tokens/s of one training step (forward, mean cross-entropy over B·T
/// next-token targets, backward, AdamW lr 1e-3 wd 0) of a tiny LLaMA-style model, next to PyTorch
/// CPU running the same architecture and step in the same run (Scripts/bench_train_peer.py). With
/// `--model FILE`, a real checkpoint per (seq, batch) shape next to transformers (`BenchTrainModel`).
struct BenchTrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train", abstract: "Training-step tokens/s of a tiny transformer, next to PyTorch CPU.")
  @OptionGroup var kernels: KernelOptions

  @Option(help: "Decoder layers.") var layers = 4
  @Option(help: "Hidden size.") var dim = 128
  @Option(help: "Attention heads (no grouping: as many KV heads).") var heads = 4
  @Option(help: "SwiGLU intermediate size.") var ffn = 512
  @Option(help: "Vocabulary size (embedding tied to the LM head).") var vocab = 256
  @Option(help: "Sequence length (with --model: a comma-separated list, default 256,512; else 128).")
  var seq: String?
  @Option(help: "Sequences per step (with --model: a comma-separated list, default 1,4; else 32).")
  var batch: String?
  @Option(help: "Timed steps (median reported).") var repeats = 5
  @Option(help: "Timed steps per shape with --model (median reported; default 3).") var steps: Int?
  @Option(help: "A checkpoint (GGUF or model directory): time its full fine-tuning step per shape.")
  var model: String?
  @Flag(help: .hidden) var singleShape = false
  @Option(help: "Threads (BLAS and torch.set_num_threads).") var threads = 2
  @Option(
    help: "Rounds of (Recheck, PyTorch) back to back; with more than one the median ratio is printed too.")
  var rounds = 1
  @Option(help: "Python with torch for the peer (default: ~/.cache/recheck/venv-torch/bin/python).")
  var python: String?
  @Flag(help: "Skip the PyTorch peer.") var noPeer = false

  func run() throws {
    if let model {
      let seqs = try Self.list(seq ?? "256,512", "--seq")
      let batches = try Self.list(batch ?? "1,4", "--batch")
      let steps = steps ?? 3
      if singleShape {
        return try BenchTrainModel.runShape(
          path: model, seq: seqs[0], batch: batches[0], steps: steps, threads: threads)
      }
      return try BenchTrainModel(
        path: model, seqs: seqs, batches: batches, steps: steps, threads: threads, python: python,
        noPeer: noPeer, rounds: max(rounds, 1)
      ).run()
    }
    let seq = try Self.list(seq ?? "128", "--seq")[0]
    let batch = try Self.list(batch ?? "32", "--batch")[0]
    BLASThreads.set(threads)
    var rng = SeededRNG(seed: 0)
    let config = ModelConfig(
      vocabSize: vocab, hiddenSize: dim, intermediateSize: ffn, numHiddenLayers: layers,
      numAttentionHeads: heads,
      numKeyValueHeads: heads, maxPositionEmbeddings: seq, tieWordEmbeddings: true)
    let model = Transformer(config: config, rng: &rng)
    let optimizer = AdamW(model.namedParameters(), config: AdamWConfig(learningRate: 1e-3, weightDecay: 0))
    let (inputs, targets) = BenchTrainCommand.randomBatch(batch: batch, seq: seq, vocab: vocab, rng: &rng)
    let step = {
      optimizer.zeroGrad()
      let logits = model(inputs, batch: batch).reshaped([batch * seq, vocab])
      logits.crossEntropy(targets: targets).backward()
      optimizer.update()
    }
    print(
      "train step: \(layers) layers, d=\(dim), \(heads) heads, ffn \(ffn), vocab \(vocab), seq \(seq), batch "
        + "\(batch); \(threads) threads, \(BLAS.backend); median of \(repeats) steps")
    var ratios: [Double] = []
    for _ in 0..<max(rounds, 1) {
      let seconds = BenchClock.median(repeats: repeats) { step() }
      let peer = noPeer ? [:] : peerFigures(seq: seq, batch: batch)
      let mine = Double(batch * seq) / seconds
      var line = String(format: "Recheck %.1f ms/step, %.0f tokens/s", seconds * 1e3, mine)
      if let torch = peer["tokens_per_s"], let torchStep = peer["step_s"] {
        ratios.append(mine / torch)
        line += String(
          format: "   PyTorch %.1f ms/step, %.0f tokens/s   Recheck/PyTorch = %.2f×", torchStep * 1e3, torch,
          mine / torch)
      } else {
        line += "   PyTorch: unavailable"
      }
      print(line)
    }
    if ratios.count > 1 {
      print(
        String(
          format: "Recheck/PyTorch over %d rounds: median %.2f×, range %.2f–%.2f×", ratios.count,
          BenchClock.median(ratios), ratios.min()!, ratios.max()!))
    }
  }

  /// Positive integers from a comma-separated flag value.
  static func list(_ text: String, _ flag: String) throws -> [Int] {
    let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw ValidationError("\(flag) \(text): expected positive integers separated by commas")
    }
    return values.map { $0! }
  }

  /// The PyTorch peer's figures (step_s, tokens_per_s), or none with a note on stderr.
  func peerFigures(seq: Int, batch: Int) -> [String: Double] {
    let cache = BenchClock.cacheDirectory
    let script = BenchClock.script("bench_train_peer.py")
    let args = [
      "--layers", "\(layers)", "--dim", "\(dim)", "--heads", "\(heads)", "--ffn", "\(ffn)", "--vocab",
      "\(vocab)",
      "--seq", "\(seq)", "--batch", "\(batch)", "--repeats", "\(repeats)", "--threads", "\(threads)",
    ]
    do {
      return try BenchClock.runPeer(
        python: python ?? cache + "/venv-torch/bin/python", script: script, arguments: args)
    } catch {
      FileHandle.standardError.write(Data("peer unavailable: \(error)\n".utf8))
      return [:]
    }
  }
}

extension BenchTrainCommand {
  /// `batch` rows of `seq + 1` random ids, as next-token inputs (first `seq`) and targets (last `seq`),
  /// flattened row-major: the data both the tiny-model and the `--model` step time.
  static func randomBatch(batch: Int, seq: Int, vocab: Int, rng: inout SeededRNG) -> (
    inputs: [Int], targets: [Int]
  ) {
    let tokens = (0..<(batch * (seq + 1))).map { _ in Int(rng.next() % UInt64(vocab)) }
    var inputs: [Int] = []
    var targets: [Int] = []
    for b in 0..<batch {
      let row = tokens[(b * (seq + 1))..<((b + 1) * (seq + 1))]
      inputs += row.dropLast()
      targets += row.dropFirst()
    }
    return (inputs, targets)
  }
}
