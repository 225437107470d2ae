import TensorCore

/// Central finite-difference gradient checks in Float64.
///
/// The scalar probed is L = Σ w ⊙ f(inputs) with fixed random weights w (so every output element
/// contributes with a different weight and a wrong gradient cannot cancel out). For every input
/// element x: numeric = (L(x + ε) − L(x − ε)) / 2ε, compared with the tape's gradient.
public enum GradCheck {
  public struct Report: CustomStringConvertible {
    public var maxAbsError = 0.0
    public var worst = ""
    public var checked = 0
    public var description: String {
      "checked \(checked) entries, max |analytic − numeric| = \(maxAbsError) \(worst)"
    }
  }

  /// Returns the report and whether every entry satisfied |a − n| ≤ atol + rtol·|n|.
  public static func check(
    _ inputs: [Tensor], seed: UInt64 = 1, eps: Double = 1e-6, atol: Double = 1e-7, rtol: Double = 1e-5,
    _ f: ([Tensor]) -> Tensor
  ) -> (ok: Bool, report: Report) {
    precondition(inputs.allSatisfy { $0.dtype == .float64 }, "gradient checks run in Float64")
    for x in inputs {
      x.requiresGrad = true
      x.grad = nil
    }
    var rng = SeededRNG(seed: seed)
    let probe = f(inputs)
    let w = Tensor.randn(probe.shape, dtype: .float64, rng: &rng)
    let loss = (probe * w).sum()
    loss.backward()
    func value() -> Double { withNoGrad { (f(inputs) * w).sum().item() } }
    var report = Report()
    var ok = true
    for (n, x) in inputs.enumerated() {
      let analytic = x.grad?.toDoubleArray() ?? [Double](repeating: 0, count: x.count)
      for i in 0..<x.count {
        let saved = x[flat: i]
        x[flat: i] = saved + eps
        let plus = value()
        x[flat: i] = saved - eps
        let minus = value()
        x[flat: i] = saved
        let numeric = (plus - minus) / (2 * eps)
        let err = Swift.abs(analytic[i] - numeric)
        report.checked += 1
        if err > report.maxAbsError {
          report.maxAbsError = err
          report.worst = "(input \(n), index \(i): analytic \(analytic[i]), numeric \(numeric))"
        }
        if err > atol + rtol * Swift.abs(numeric) { ok = false }
      }
    }
    return (ok, report)
  }

  /// A random Float64 tensor for checks.
  public static func input(_ shape: [Int], rng: inout SeededRNG, scale: Double = 1) -> Tensor {
    Tensor.randn(shape, std: scale, dtype: .float64, rng: &rng)
  }

  /// A random shape with dims in `range`.
  public static func shape(rank: Int, _ range: ClosedRange<Int>, rng: inout SeededRNG) -> [Int] {
    (0..<rank).map { _ in Int.random(in: range, using: &rng) }
  }
}
