import Foundation
import NN
import TensorCore

extension QuantFormat {
  /// The kernel format of a ggml tensor type, nil for types the quantized kernels do not take.
  public init?(ggml type: GGMLType) {
    switch type {
    case .q8_0: self = .q8_0
    case .q4_0: self = .q4_0
    case .q4_1: self = .q4_1
    default: return nil
    }
  }
}

extension Transformer {
  /// An inference-only model over a GGUF file that keeps its Q8_0/Q4_0/Q4_1 projection and
  /// embedding weights in their blocks (`QuantizedMatrix`) instead of dequantising them: every
  /// matmul then runs as llama.cpp's CPU backend does (8-bit activations, integer block dot
  /// products). Other tensors (norms, F32/F16/K-quant weights) are dequantised to Float32.
  /// SmolLM2-135M Q4_1: ≈ 100 MB of weights instead of 540 MB.
  ///
  /// The rest of the forward pass uses `Arithmetic.llamaCpp` (ggml's rounding and summation order).
  /// Pair it with `KVCache(…, halfPrecision: true)`, llama.cpp's default F16 cache: greedy decoding
  /// then reproduces llama.cpp token for token (SmolLM2ParityTests).
  public convenience init(quantized checkpoint: GGUFCheckpoint) throws {
    let available = Set(checkpoint.tensorNames)
    func dense(_ name: String, shape: [Int]) throws -> Tensor {
      guard available.contains(name) else { throw ModuleError.missing([name]) }
      let host = try checkpoint.tensor(named: name)
      guard host.shape == shape else {
        throw ModuleError.shapeMismatch(name: name, expected: shape, got: host.shape)
      }
      return Tensor(host.data, shape: shape)
    }
    /// The weight (rows, cols) quantized when its type allows, else nil.
    func blocks(_ name: String, rows: Int, cols: Int) throws -> QuantizedMatrix? {
      guard available.contains(name) else { throw ModuleError.missing([name]) }
      let raw = try checkpoint.rawTensor(named: name)
      guard let format = QuantFormat(ggml: raw.type) else { return nil }
      guard raw.shape == [rows, cols] else {
        throw ModuleError.shapeMismatch(name: name, expected: [rows, cols], got: raw.shape)
      }
      return try raw.bytes.withUnsafeBytes {
        try QuantizedMatrix(format: format, rows: rows, cols: cols, blocks: $0)
      }
    }
    let build = LayerBuilder(
      linear: { name, inF, outF, hasBias, _ in
        let bias = hasBias ? try dense("\(name).bias", shape: [outF]) : nil
        if let q = try blocks("\(name).weight", rows: outF, cols: inF) {
          return Linear(quantized: q, bias: bias)
        }
        return Linear(weight: try dense("\(name).weight", shape: [outF, inF]), bias: bias)
      },
      embedding: { name, count, dim in
        if let q = try blocks("\(name).weight", rows: count, cols: dim) { return Embedding(quantized: q) }
        return Embedding(weight: try dense("\(name).weight", shape: [count, dim]))
      },
      norm: { name, dim, eps in RMSNorm(weight: try dense("\(name).weight", shape: [dim]), eps: eps) })
    try self.init(config: checkpoint.config, build: build)
    arithmetic = .llamaCpp
  }

  /// `load(from:)` with the choice of keeping a GGUF's quantized weights (see
  /// `init(quantized:)`); a safetensors directory always loads as Float32.
  public static func load(from url: URL, keepQuantized: Bool) throws -> Transformer {
    guard keepQuantized, url.pathExtension.lowercased() == "gguf" else { return try load(from: url) }
    return try Transformer(quantized: GGUFCheckpoint(url: url))
  }

  /// Whether any layer computes on quantized weights (the model is then inference-only).
  public var isQuantized: Bool {
    embedTokens.quantized != nil || lmHead?.quantized != nil
      || layers.contains { $0.selfAttn.qProj.quantized != nil || $0.mlp.upProj.quantized != nil }
  }
}
