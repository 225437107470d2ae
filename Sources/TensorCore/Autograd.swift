/// One entry of the define-by-run tape: the inputs an op read and the function that maps the
/// gradient of its output to the gradients of those inputs (nil where an input needs none).
final class GradNode {
  let op: String
  let inputs: [Tensor]
  let backward: (Tensor) -> [Tensor?]
  init(op: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
    self.op = op
    self.inputs = inputs
    self.backward = backward
  }
}

/// Whether ops record themselves on the tape. Task-local, so a no-grad scope (inference, the
/// frozen reference model) affects only the code it wraps.
public enum GradMode {
  @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording any op: results have no tape entry and cost no extra memory.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
  try GradMode.$isEnabled.withValue(false) { try body() }
}

extension Tensor {
  /// Whether `record` will attach a tape entry for an op on `inputs`: grad mode is on and some
  /// input requires a gradient. An op that keeps forward values for its backward asks this first.
  @inline(__always)
  static func willRecord(_ inputs: [Tensor]) -> Bool {
    GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad })
  }

  /// Attaches a tape entry to `out` when `willRecord(inputs)`.
  @inline(__always)
  static func record(
    _ out: Tensor, _ op: String, _ inputs: [Tensor], _ backward: @escaping (Tensor) -> [Tensor?]
  ) -> Tensor {
    if willRecord(inputs) {
      out.requiresGrad = true
      out.node = GradNode(op: op, inputs: inputs, backward: backward)
    }
    return out
  }

  /// A tensor sharing this one's storage but cut off from the tape.
  public func detach() -> Tensor { Tensor(shape: shape, storage: storage) }

  /// Marks this tensor as a leaf that accumulates gradients (a parameter).
  @discardableResult public func requiringGrad(_ flag: Bool = true) -> Tensor {
    requiresGrad = flag
    return self
  }

  /// Reverse-mode differentiation from this tensor. Without `seed` the tensor must hold one
  /// element (a loss) and its gradient is 1. Gradients *accumulate* into the `grad` of every leaf
  /// that requires one, so several calls before an optimiser step implement gradient
  /// accumulation. The tape is released afterwards.
  public func backward(seed: Tensor? = nil) {
    precondition(requiresGrad, "backward() on a tensor that does not require grad (op outside the tape?)")
    let seedGrad: Tensor
    if let seed {
      precondition(seed.shape == shape, "backward seed shape \(seed.shape) ≠ tensor shape \(shape)")
      seedGrad = seed
    } else {
      precondition(count == 1, "backward() without a seed needs a scalar, shape is \(shape)")
      seedGrad = Tensor.full(shape, 1, dtype: dtype)
    }
    // Topological order by iterative depth-first search (deep graphs must not overflow the stack).
    var order: [Tensor?] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Tensor, Bool)] = [(self, false)]
    while let (t, expanded) = stack.popLast() {
      if expanded {
        order.append(t)
        continue
      }
      guard visited.insert(ObjectIdentifier(t)).inserted else { continue }
      stack.append((t, true))
      for input in t.node?.inputs ?? [] where input.requiresGrad && !visited.contains(ObjectIdentifier(input))
      {
        stack.append((input, false))
      }
    }
    var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seedGrad]
    withNoGrad {
      // Each tensor's tape entry is dropped as soon as its backward has run, and the list lets go of
      // the tensor: what its closure kept for the backward (activations) is freed while the
      // parameters' gradients are being allocated, as PyTorch frees saved tensors, instead of
      // everything living until the end (for SmolLM2-135M that was the step's peak memory).
      for i in order.indices.reversed() {
        guard let t = order[i] else { continue }
        order[i] = nil
        let node = t.node
        t.node = nil
        guard var g = grads.removeValue(forKey: ObjectIdentifier(t)) else { continue }
        guard let node else {
          t.accumulateGrad(adopting: &g)
          continue
        }
        let inputGrads = node.backward(g)
        for (input, ig) in zip(node.inputs, inputGrads) {
          guard input.requiresGrad, let ig else { continue }
          precondition(
            ig.shape == input.shape,
            "internal: \(node.op) backward gave shape \(ig.shape) for input \(input.shape)")
          let key = ObjectIdentifier(input)
          grads[key] = grads[key].map { $0 + ig } ?? ig
        }
      }
    }
  }

  /// Adds `g` into `grad`, owning a private buffer so later in-place additions alias nothing: `g`
  /// itself when nothing else references it or its buffer (the usual case: a product's fresh
  /// weight gradient), else a copy. Why: copying every parameter's gradient once per step moved
  /// 2 × 0.54 GB for SmolLM2-135M, in fresh pages.
  func accumulateGrad(adopting g: inout Tensor) {
    if let existing = grad {
      addInPlace(existing, g)
    } else if isKnownUniquelyReferenced(&g) && isKnownUniquelyReferenced(&g.storage) && g.node == nil {
      grad = g
    } else {
      grad = g.copy()
    }
  }

  /// Clears the accumulated gradient.
  public func zeroGrad() { grad = nil }
}
