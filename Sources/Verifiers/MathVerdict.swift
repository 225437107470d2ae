import Foundation

/// Result of comparing a model answer with a reference: whether they are equivalent and which rule
/// decided (see Docs/grading.md for the rules in the order they are tried).
public struct MathVerdict: Sendable, Codable, Equatable {
  public var equivalent: Bool
  /// One of "exact-string", "normalized-string", "rational", "numeric", "symbolic", "infinity",
  /// "structural", "equation", "percent", "tuple", "interval", "set", "matrix", "empty-answer",
  /// "no-answer" (nothing extracted, from `MathGrader.grade`), "not-equivalent".
  public var rule: String

  public init(equivalent: Bool, rule: String) {
    self.equivalent = equivalent
    self.rule = rule
  }
}

/// Knobs of `MathGrader`; defaults are what the tests and Docs/grading.md describe.
public struct MathGraderOptions: Sendable, Codable, Equatable {
  /// Relative tolerance when at least one side is not an exact rational (e.g. involves `\pi`).
  /// Tighter than Qwen's 1e-4 so that `3.14` ≠ `\pi` and `0.333` ≠ `1/3`.
  public var relativeTolerance: Double = 1e-9
  /// Random points at which expressions with free variables are compared.
  public var symbolicPoints: Int = 4
  /// Seed of the point generator (deterministic verdicts).
  public var seed: UInt64 = 0x5EED_2025
  /// Accept `25\%` ≡ `0.25` ≡ `25` (the percent sign is optional on either side).
  public var percentEquivalence: Bool = true

  public init() {}
}

/// SplitMix64 (Steele, Lea & Flood 2014): tiny seeded generator for symbolic test points.
struct MathSplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
