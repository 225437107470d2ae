/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64). All randomness in
/// Recheck comes from a generator like this one, passed in explicitly, so a seed fixes a run.
public struct SeededRNG: RandomNumberGenerator, Sendable, Codable {
  private var s0, s1, s2, s3: UInt64

  public init(seed: UInt64) {
    var x = seed
    func splitmix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitmix()
    s1 = splitmix()
    s2 = splitmix()
    s3 = splitmix()
  }

  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 45) | (s3 >> 19)
    return result
  }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// Standard normal (Box–Muller; one value per call keeps the stream simple to reason about).
  public mutating func nextNormal() -> Double {
    var u1 = nextUniform()
    while u1 <= .leastNormalMagnitude { u1 = nextUniform() }
    let u2 = nextUniform()
    return (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
  }

  /// An independent generator derived from this one (per-sequence seeds in batched sampling).
  public mutating func split() -> SeededRNG { SeededRNG(seed: next()) }
}

@inline(__always) private func _log(_ x: Double) -> Double { Double.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Double.cos(x) }

extension Tensor {
  /// Normal(mean, std²) entries.
  public static func randn(
    _ shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float32,
    rng: inout SeededRNG
  ) -> Tensor {
    if std == 0 { return Tensor.full(shape, mean, dtype: dtype) }
    let t = Tensor.empty(shape, dtype)
    for i in 0..<t.count { t[flat: i] = mean + std * rng.nextNormal() }
    return t
  }

  /// Uniform entries in [low, high).
  public static func uniform(
    _ shape: [Int], low: Double, high: Double, dtype: DType = .float32, rng: inout SeededRNG
  ) -> Tensor {
    let t = Tensor.empty(shape, dtype)
    for i in 0..<t.count { t[flat: i] = low + (high - low) * rng.nextUniform() }
    return t
  }

  /// Kaiming/He uniform for a weight with `fanIn` inputs: U(±sqrt(6 / fanIn)) — keeps activation
  /// variance ≈ 2× input variance under ReLU-like non-linearities (He et al., 2015).
  public static func kaimingUniform(
    _ shape: [Int], fanIn: Int, dtype: DType = .float32, rng: inout SeededRNG
  ) -> Tensor {
    let bound = (6.0 / Double(fanIn)).squareRoot()
    return uniform(shape, low: -bound, high: bound, dtype: dtype, rng: &rng)
  }

  /// Xavier/Glorot uniform: U(±sqrt(6 / (fanIn + fanOut))) (Glorot & Bengio, 2010).
  public static func xavierUniform(
    _ shape: [Int], fanIn: Int, fanOut: Int, dtype: DType = .float32, rng: inout SeededRNG
  ) -> Tensor {
    let bound = (6.0 / Double(fanIn + fanOut)).squareRoot()
    return uniform(shape, low: -bound, high: bound, dtype: dtype, rng: &rng)
  }
}
