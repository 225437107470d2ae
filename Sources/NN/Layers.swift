import TensorCore

/// How a freshly built layer's weights are drawn.
public enum WeightInit: Sendable {
  /// Normal(0, std²), Hugging Face's `initializer_range` scheme (0.02 for LLaMA).
  case normal(std: Double)
  /// Zeros (e.g. a residual output projection that should start as identity).
  case zeros
  /// U(±1/sqrt(fanIn)), PyTorch's `nn.Linear` default.
  case fanInUniform
}

/// y = x Wᵀ + b with W of shape (out, in), the Hugging Face / PyTorch layout.
public final class Linear: Module {
  public let weight: Tensor
  public let bias: Tensor?

  public init(
    _ inFeatures: Int, _ outFeatures: Int, bias: Bool = false, init scheme: WeightInit = .normal(std: 0.02),
    dtype: DType = .float32, rng: inout SeededRNG
  ) {
    switch scheme {
    case .normal(let std):
      weight = Tensor.randn([outFeatures, inFeatures], std: std, dtype: dtype, rng: &rng)
    case .zeros: weight = Tensor(zeros: [outFeatures, inFeatures], dtype: dtype)
    case .fanInUniform:
      let b = 1 / Double(inFeatures).squareRoot()
      weight = Tensor.uniform([outFeatures, inFeatures], low: -b, high: b, dtype: dtype, rng: &rng)
    }
    weight.requiresGrad = true
    self.bias = bias ? Tensor(zeros: [outFeatures], dtype: dtype).requiringGrad() : nil
  }

  public var ownParameters: [(String, Tensor)] {
    [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
  }

  /// (…, in) → (…, out)
  public func callAsFunction(_ x: Tensor) -> Tensor {
    let y = x.matmul(weight, transposeB: true)
    return bias.map { y + $0 } ?? y
  }
}

/// A (vocab, dim) lookup table.
public final class Embedding: Module {
  public let weight: Tensor

  public init(_ count: Int, _ dim: Int, std: Double = 0.02, dtype: DType = .float32, rng: inout SeededRNG) {
    weight = Tensor.randn([count, dim], std: std, dtype: dtype, rng: &rng).requiringGrad()
  }

  public var ownParameters: [(String, Tensor)] { [("weight", weight)] }

  /// ids laid out as `shape` (e.g. (B, T)) → (B, T, dim)
  public func callAsFunction(_ ids: [Int], shape: [Int]) -> Tensor {
    Tensor.gatherRows(weight, ids: ids, shape: shape)
  }
}

/// RMSNorm with a learned scale initialised to ones (LLaMA's `LlamaRMSNorm`).
public final class RMSNorm: Module {
  public let weight: Tensor
  public let eps: Double

  public init(_ dim: Int, eps: Double = 1e-5, dtype: DType = .float32) {
    weight = Tensor.ones([dim], dtype: dtype).requiringGrad()
    self.eps = eps
  }

  public var ownParameters: [(String, Tensor)] { [("weight", weight)] }

  public func callAsFunction(_ x: Tensor) -> Tensor { rmsNorm(x, weight: weight, eps: eps) }
}
