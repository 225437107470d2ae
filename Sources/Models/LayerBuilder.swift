import NN
import TensorCore

/// Where a `Transformer`'s layers come from, by Hugging Face module name: fresh seeded
/// initialisation (`random`), or a checkpoint (`Transformer+Quantized.swift`). The transformer asks
/// for its layers in declaration order, so the random draws are the same as building each layer
/// in place.
final class LayerBuilder {
  /// (name, in, out, bias, std scale) → the layer `name` (e.g. "model.layers.0.mlp.up_proj").
  /// The scale multiplies the initial std (GPT-2's residual scaling); loaders ignore it.
  let linear: (String, Int, Int, Bool, Double) throws -> Linear
  /// (name, vocab, dim) → the embedding table.
  let embedding: (String, Int, Int) throws -> Embedding
  /// (name, dim, eps) → an RMSNorm.
  let norm: (String, Int, Double) throws -> RMSNorm
  private let box: RNGBox?

  /// The generator of `random` after the layers it built (handed back to the caller).
  var rng: SeededRNG { box?.rng ?? SeededRNG(seed: 0) }

  init(
    linear: @escaping (String, Int, Int, Bool, Double) throws -> Linear,
    embedding: @escaping (String, Int, Int) throws -> Embedding,
    norm: @escaping (String, Int, Double) throws -> RMSNorm
  ) {
    self.linear = linear
    self.embedding = embedding
    self.norm = norm
    box = nil
  }

  private init(random dtype: DType, std: Double, box: RNGBox) {
    linear = { _, inF, outF, bias, scale in
      Linear(inF, outF, bias: bias, init: .normal(std: std * scale), dtype: dtype, rng: &box.rng)
    }
    embedding = { _, count, dim in Embedding(count, dim, std: std, dtype: dtype, rng: &box.rng) }
    norm = { _, dim, eps in RMSNorm(dim, eps: eps, dtype: dtype) }
    self.box = box
  }

  /// Normal(0, std²) weights (scaled per layer), zero biases, unit norms, drawn from `rng`.
  static func random(dtype: DType, std: Double, rng: SeededRNG) -> LayerBuilder {
    LayerBuilder(random: dtype, std: std, box: RNGBox(rng))
  }

  private final class RNGBox {
    var rng: SeededRNG
    init(_ rng: SeededRNG) { self.rng = rng }
  }
}
