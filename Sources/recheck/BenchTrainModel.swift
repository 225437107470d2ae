import Foundation
import Models
import NN
import TensorCore

/// `recheck bench train --model FILE`: one full fine-tuning step (forward, mean cross-entropy over
/// B·T next-token targets, backward, AdamW lr 1e-5 wd 0) of a real checkpoint per (seq, batch) shape,
/// next to transformers' `LlamaForCausalLM` built from the same config in PyTorch CPU
/// (Scripts/bench_train_model_peer.py). Each side runs every shape in a fresh process, so its peak
/// resident memory (getrusage ru_maxrss) is that shape's alone: weights, gradients, AdamW moments and
/// activations, plus the runtime.
struct BenchTrainModel {
  let path: String
  let seqs: [Int]
  let batches: [Int]
  let steps: Int
  let threads: Int
  let python: String?
  let noPeer: Bool
  /// Rounds of (Recheck, PyTorch) per shape; with more than one, the medians are printed too.
  var rounds = 1

  /// The figures of one shape in this process (the child side of `--single-shape`), as one JSON line.
  static func runShape(path: String, seq: Int, batch: Int, steps: Int, threads: Int) throws {
    BLASThreads.set(threads)
    let model = try TrainingModel.load(path).model
    let vocab = model.config.vocabSize
    let optimizer = AdamW(model.namedParameters(), config: AdamWConfig(learningRate: 1e-5, weightDecay: 0))
    var rng = SeededRNG(seed: 0)
    let (inputs, targets) = BenchTrainCommand.randomBatch(batch: batch, seq: seq, vocab: vocab, rng: &rng)
    let seconds = BenchClock.median(repeats: steps) {
      optimizer.zeroGrad()
      let logits = model(inputs, batch: batch).reshaped([batch * seq, vocab])
      logits.crossEntropy(targets: targets, overwritingLogits: true).backward()  // as SFTLoss does
      optimizer.update()
    }
    let result: [String: Double] = [
      "step_s": seconds, "tokens_per_s": Double(batch * seq) / seconds, "peak_rss_bytes": peakRSSBytes(),
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
  }

  /// This process's peak resident set size (Linux reports ru_maxrss in KiB).
  static func peakRSSBytes() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) * 1024
  }

  func run() throws {
    let config = try TrainingModel.load(path).model.config
    print(
      "train step of \(URL(fileURLWithPath: path).lastPathComponent): \(config.numHiddenLayers) layers, "
        + "d=\(config.hiddenSize), \(config.numAttentionHeads)/\(config.numKeyValueHeads) heads, "
        + "ffn \(config.intermediateSize), vocab \(config.vocabSize); AdamW; \(threads) threads, "
        + "\(BLAS.backend); median of \(steps) steps after one warm-up; fresh process per shape"
        + (rounds > 1 ? "; \(rounds) rounds per shape, Recheck then PyTorch" : ""))
    for seq in seqs {
      for batch in batches {
        let label = "B\(batch) T\(seq)".padding(toLength: 9, withPad: " ", startingAt: 0)
        var ratios: [Double] = []
        var figures: [(mine: Double, peer: Double, mineRSS: Double, peerRSS: Double)] = []
        for _ in 0..<rounds {
          let (line, round) = measure(config: config, seq: seq, batch: batch)
          print(label + line)
          if let round {
            ratios.append(round.mine / round.peer)
            figures.append(round)
          }
        }
        // A shared 2-core VM moves single steps by ±15 %: with rounds, the median of the per-round
        // ratios (each from back-to-back runs) is the figure to quote.
        guard ratios.count > 1 else { continue }
        let median: ([Double]) -> Double = BenchClock.median
        print(
          label
            + String(
              format:
                "median over %d rounds: Recheck %6.1f tok/s, PyTorch %6.1f tok/s, Recheck/PyTorch = %.2f× "
                + "(range %.2f–%.2f×), memory %.2f×", ratios.count, median(figures.map(\.mine)),
              median(figures.map(\.peer)), median(ratios), ratios.min()!, ratios.max()!,
              median(figures.map { $0.mineRSS / $0.peerRSS })))
      }
    }
  }

  /// One round of one shape: Recheck's child process, then the peer's. Returns the printed figures
  /// and, when both sides ran, their tokens/s and peak memory.
  func measure(config: ModelConfig, seq: Int, batch: Int) -> (
    String, (mine: Double, peer: Double, mineRSS: Double, peerRSS: Double)?
  ) {
    let common = ["--seq", "\(seq)", "--batch", "\(batch)", "--threads", "\(threads)"]
    let me = Bundle.main.executablePath ?? CommandLine.arguments[0]
    let mine: [String: Double]
    do {
      mine = try BenchClock.runPeer(
        python: me, script: "bench",
        arguments: ["train", "--model", path, "--single-shape", "--steps", "\(steps)"] + common)
    } catch {
      return ("Recheck failed: \(error)", nil)
    }
    let (tps, rss) = (mine["tokens_per_s"] ?? 0, mine["peak_rss_bytes"] ?? 0)
    var line = String(format: "Recheck %6.1f tok/s %5.2f GB", tps, rss / 1e9)
    guard let peer = noPeer ? nil : peerFigures(config: config, common: common),
      let ptps = peer["tokens_per_s"], let prss = peer["peak_rss_bytes"]
    else { return (line + "   PyTorch: unavailable", nil) }
    line += String(
      format: "   PyTorch %6.1f tok/s %5.2f GB   Recheck/PyTorch = %.2f×, memory %.2f×", ptps, prss / 1e9,
      tps / ptps, rss / prss)
    return (line, (tps, ptps, rss, prss))
  }

  /// The transformers peer's figures for one shape, or nil with a note on stderr.
  func peerFigures(config c: ModelConfig, common: [String]) -> [String: Double]? {
    let args =
      [
        "--vocab", "\(c.vocabSize)", "--dim", "\(c.hiddenSize)", "--ffn", "\(c.intermediateSize)", "--layers",
        "\(c.numHiddenLayers)", "--heads", "\(c.numAttentionHeads)", "--kv-heads", "\(c.numKeyValueHeads)",
        "--head-dim", "\(c.headDim)", "--rope-theta", "\(c.ropeTheta)", "--rms-eps", "\(c.rmsNormEps)",
        "--tied", c.tieWordEmbeddings ? "1" : "0", "--repeats", "\(steps)",
      ] + common
    do {
      return try BenchClock.runPeer(
        python: python ?? BenchClock.cacheDirectory + "/venv-hf/bin/python",
        script: BenchClock.script("bench_train_model_peer.py"), arguments: args)
    } catch {
      FileHandle.standardError.write(Data("peer unavailable: \(error)\n".utf8))
      return nil
    }
  }
}
