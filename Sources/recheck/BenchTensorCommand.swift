import ArgumentParser
import Foundation
import NN
import TensorCore

/// `recheck bench tensor`: matmul GFLOP/s at transformer shapes (BLAS and the portable kernel), the
/// demo's products on OpenBLAS next to the portable kernel (`BenchTensorGemm`), and the
/// forward+backward time of a LLaMA-shaped block; with `--peer PYTHON` the same work runs in
/// NumPy and PyTorch (Scripts/bench_tensor_peer.py) in the same run, and the ratios are printed.
struct BenchTensorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tensor", abstract: "Matmul GFLOP/s and a transformer block's forward+backward time.")
  @OptionGroup var kernels: KernelOptions

  @Option(help: "Python with numpy and torch for the peer figures (Scripts/bench-tensor.sh sets one up).")
  var peer: String?
  @Option(help: "Timed repetitions per figure (median reported).")
  var repeats = 10
  @Option(help: "BLAS threads.")
  var threads = 2

  static let shapes: [(m: Int, k: Int, n: Int)] = [
    (64, 64, 64), (256, 256, 256), (512, 768, 3072), (1, 576, 49152),
  ]
  static let block = BlockShape(batch: 4, seq: 128, dim: 256, heads: 4, kvHeads: 2, ffn: 768)

  func run() throws {
    BLASThreads.set(threads)
    var peerFigures: [String: Double] = [:]
    if let peer {
      let script = BenchClock.script("bench_tensor_peer.py")
      peerFigures = try BenchClock.runPeer(
        python: peer, script: script, arguments: ["--threads", "\(threads)", "--repeats", "\(repeats)"])
    }
    print(
      "matmul (M×K · K×N), GFLOP/s, \(threads) thread(s), \(BLAS.backend); peer = NumPy (its BLAS) in the same run"
    )
    print(
      "shape".padLeft(22) + "BLAS".padLeft(10) + "portable".padLeft(10) + "numpy".padLeft(10)
        + "Recheck/numpy time".padLeft(20))
    for s in Self.shapes {
      var rng = SeededRNG(seed: 1)
      let a = Tensor.randn([s.m, s.k], rng: &rng)
      let b = Tensor.randn([s.k, s.n], rng: &rng)
      let flops = 2.0 * Double(s.m * s.k * s.n)
      let tBLAS = BenchClock.median(repeats: repeats) { _ = withNoGrad { a.matmul(b) } }
      let tPortable = BenchTensorGemm.median(portable: true, repeats: max(repeats / 2, 1)) {
        _ = withNoGrad { a.matmul(b) }
      }
      let key = "matmul_\(s.m)x\(s.k)x\(s.n)"
      let np = peerFigures[key].map { String(format: "%.1f", flops / $0 / 1e9) } ?? "-"
      let ratio = peerFigures[key].map { String(format: "%.2f×", tBLAS / $0) } ?? "-"
      print(
        "\(s.m)×\(s.k)·\(s.k)×\(s.n)".padLeft(22) + String(format: "%.1f", flops / tBLAS / 1e9).padLeft(10)
          + String(format: "%.1f", flops / tPortable / 1e9).padLeft(10) + np.padLeft(10) + ratio.padLeft(20))
    }
    BenchTensorGemm.run(repeats: repeats, threads: threads)
    let bs = Self.block
    let built = bs.build()
    let tBlock = BenchClock.median(repeats: repeats) { built() }
    let line =
      "block fwd+bwd (B=\(bs.batch), T=\(bs.seq), D=\(bs.dim), H=\(bs.heads)/\(bs.kvHeads), FFN=\(bs.ffn))"
    if let torch = peerFigures["block_fwd_bwd"] {
      print(
        "\(line): Recheck \(String(format: "%.2f", tBlock * 1e3)) ms, PyTorch \(String(format: "%.2f", torch * 1e3)) ms, Recheck/PyTorch = \(String(format: "%.2f", tBlock / torch))"
      )
    } else {
      print("\(line): Recheck \(String(format: "%.2f", tBlock * 1e3)) ms (pass --peer PYTHON for PyTorch)")
    }
  }
}

/// A LLaMA-shaped block built from NN layers: RMSNorm → q/k/v → RoPE → causal GQA attention →
/// o_proj + residual → RMSNorm → SwiGLU MLP + residual. The PyTorch peer builds the same.
struct BlockShape {
  let batch, seq, dim, heads, kvHeads, ffn: Int

  /// Builds the weights and input once and returns one timed forward+backward.
  func build() -> () -> Void {
    var rng = SeededRNG(seed: 7)
    let hd = dim / heads
    let (n1, n2) = (RMSNorm(dim), RMSNorm(dim))
    let q = Linear(dim, heads * hd, rng: &rng)
    let k = Linear(dim, kvHeads * hd, rng: &rng)
    let v = Linear(dim, kvHeads * hd, rng: &rng)
    let o = Linear(heads * hd, dim, rng: &rng)
    let gate = Linear(dim, ffn, rng: &rng)
    let up = Linear(dim, ffn, rng: &rng)
    let down = Linear(ffn, dim, rng: &rng)
    let x = Tensor.randn([batch, seq, dim], rng: &rng).requiringGrad()
    let positions = (0..<batch).flatMap { _ in Array(0..<seq) }
    let (b, t, d, nh, nkv) = (batch, seq, dim, heads, kvHeads)
    return {
      let h = n1(x)
      let qh = rope(q(h).reshaped([b, t, nh, hd]), positions: positions, base: 10000)  // (B, T, H, hd)
      let kh = rope(k(h).reshaped([b, t, nkv, hd]), positions: positions, base: 10000)  // (B, T, Hkv, hd)
      let vh = v(h).reshaped([b, t, nkv, hd])  // (B, T, Hkv, hd)
      let att = causalSelfAttention(q: qh, k: kh, v: vh).reshaped([b, t, d])  // (B, T, D)
      let r = x + o(att)
      let out = r + down(swiglu(gate(n2(r)), up(n2(r))))
      out.square().mean().backward()
    }
  }
}
