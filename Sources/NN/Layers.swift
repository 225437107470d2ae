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
///
/// Either dense (a trainable Float32/Float64 parameter) or quantized (a `QuantizedMatrix`, ggml
/// blocks, inference only: it has no `weight` parameter and never records on the tape — the
/// llama.cpp-compatible path, see `quantizedMatmul`).
public final class Linear: Module {
  private let dense: Tensor?
  /// The quantized weight of an inference-only layer; nil for a dense layer.
  public let quantized: QuantizedMatrix?
  public let bias: Tensor?

  /// W (out, in). For a quantized layer this is a freshly dequantised Float32 copy (not a
  /// parameter; for inspection and tests only).
  public var weight: Tensor { dense ?? quantized!.dequantized() }

  /// A dense layer with the given weight (out, in) and bias (out), both made trainable.
  public init(weight: Tensor, bias: Tensor? = nil) {
    dense = weight.requiringGrad()
    quantized = nil
    self.bias = bias?.requiringGrad()
  }

  /// An inference-only layer over a quantized (out, in) weight.
  public init(quantized: QuantizedMatrix, bias: Tensor? = nil) {
    dense = nil
    self.quantized = quantized
    self.bias = bias
  }

  public init(
    _ inFeatures: Int, _ outFeatures: Int, bias: Bool = false, init scheme: WeightInit = .normal(std: 0.02),
    dtype: DType = .float32, rng: inout SeededRNG
  ) {
    let weight: Tensor
    switch scheme {
    case .normal(let std):
      weight = Tensor.randn([outFeatures, inFeatures], std: std, dtype: dtype, rng: &rng)
    case .zeros: weight = Tensor(zeros: [outFeatures, inFeatures], dtype: dtype)
    case .fanInUniform:
      let b = 1 / Double(inFeatures).squareRoot()
      weight = Tensor.uniform([outFeatures, inFeatures], low: -b, high: b, dtype: dtype, rng: &rng)
    }
    weight.requiresGrad = true
    dense = weight
    quantized = nil
    self.bias = bias ? Tensor(zeros: [outFeatures], dtype: dtype).requiringGrad() : nil
  }

  public var ownParameters: [(String, Tensor)] {
    (dense.map { [("weight", $0)] } ?? []) + (bias.map { [("bias", $0)] } ?? [])
  }

  /// (…, in) → (…, out)
  public func callAsFunction(_ x: Tensor) -> Tensor {
    let y: Tensor
    if let quantized {
      precondition(!(GradMode.isEnabled && x.requiresGrad), "a quantized Linear is inference-only")
      y = quantizedMatmul(x, quantized)
    } else {
      y = x.matmul(dense!, transposeB: true)
    }
    return bias.map { y + $0 } ?? y
  }
}

/// A (vocab, dim) lookup table: dense (trainable) or quantized (inference only, rows decoded on
/// lookup as ggml's `get_rows` does).
public final class Embedding: Module {
  private let dense: Tensor?
  /// The quantized table of an inference-only embedding; nil when dense.
  public let quantized: QuantizedMatrix?

  /// The (vocab, dim) table; for a quantized embedding a freshly dequantised copy.
  public var weight: Tensor { dense ?? quantized!.dequantized() }

  public init(_ count: Int, _ dim: Int, std: Double = 0.02, dtype: DType = .float32, rng: inout SeededRNG) {
    dense = Tensor.randn([count, dim], std: std, dtype: dtype, rng: &rng).requiringGrad()
    quantized = nil
  }

  /// A dense embedding with the given (vocab, dim) table, made trainable.
  public init(weight: Tensor) {
    dense = weight.requiringGrad()
    quantized = nil
  }

  /// An inference-only embedding over a quantized (vocab, dim) table.
  public init(quantized: QuantizedMatrix) {
    dense = nil
    self.quantized = quantized
  }

  public var ownParameters: [(String, Tensor)] { dense.map { [("weight", $0)] } ?? [] }

  /// ids laid out as `shape` (e.g. (B, T)) → (B, T, dim)
  public func callAsFunction(_ ids: [Int], shape: [Int]) -> Tensor {
    if let quantized { return quantized.gatherRows(ids, shape: shape) }
    return Tensor.gatherRows(dense!, ids: ids, shape: shape)
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

  /// With the given scale (dim), made trainable.
  public init(weight: Tensor, eps: Double) {
    self.weight = weight.requiringGrad()
    self.eps = eps
  }

  public var ownParameters: [(String, Tensor)] { [("weight", weight)] }

  public func callAsFunction(_ x: Tensor) -> Tensor { rmsNorm(x, weight: weight, eps: eps) }
}
