import Foundation
import TensorCore

/// Global gradient-norm clipping (as `torch.nn.utils.clip_grad_norm_`): when the L2 norm of all
/// gradients together exceeds `maxNorm`, every gradient is scaled by maxNorm / (norm + 1e-6).
/// Returns the norm before clipping.
@discardableResult
public func clipGradNorm(_ params: [Tensor], maxNorm: Double) -> Double {
  var sq = 0.0
  for p in params {
    guard let g = p.grad else { continue }
    for x in g.toDoubleArray() { sq += x * x }
  }
  let norm = sq.squareRoot()
  if norm > maxNorm {
    let s = maxNorm / (norm + 1e-6)
    for p in params {
      guard let g = p.grad else { continue }
      p.grad = withNoGrad { g.scaled(s) }
    }
  }
  return norm
}

/// A learning-rate schedule: linear warm-up from 0, then constant, cosine or linear decay to
/// `minRatio` × the base rate at `totalSteps`.
public struct LRSchedule: Codable, Sendable, Equatable {
  public enum Decay: String, Codable, Sendable { case constant, cosine, linear }
  public var decay: Decay
  public var warmupSteps: Int
  public var totalSteps: Int
  public var minRatio: Double

  public init(decay: Decay = .cosine, warmupSteps: Int = 0, totalSteps: Int, minRatio: Double = 0.1) {
    self.decay = decay
    self.warmupSteps = warmupSteps
    self.totalSteps = totalSteps
    self.minRatio = minRatio
  }

  /// Multiplier of the base rate for optimiser step `step` (0-based).
  ///
  /// Example (warm-up 10, total 110, cosine, minRatio 0): step 4 → 0.5; step 10 → 1;
  /// step 60 → 0.5; step 110 → 0.
  public func factor(at step: Int) -> Double {
    if warmupSteps > 0 && step < warmupSteps { return Double(step + 1) / Double(warmupSteps) }
    if decay == .constant { return 1 }
    let span = max(totalSteps - warmupSteps, 1)
    let progress = min(max(Double(step - warmupSteps) / Double(span), 0), 1)
    let shape = decay == .cosine ? 0.5 * (1 + cos(.pi * progress)) : 1 - progress
    return minRatio + (1 - minRatio) * shape
  }
}
