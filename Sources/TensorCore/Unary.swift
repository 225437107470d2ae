import CQuantKernels

/// Element-wise unary ops. Each backward is written in terms of the forward output or input,
/// next to its forward.
enum UnaryKind { case exp, log, sqrt, square, sigmoid, silu, relu, tanh, abs }

private func unaryKernel<S: TensorScalar>(_ kind: UnaryKind, _ x: Tensor, _ out: Tensor, _: S.Type) {
  let px = x.pointer(S.self)
  let po = out.pointer(S.self)
  let n = x.count
  switch kind {
  case .exp: for i in 0..<n { po[i] = S.exp(px[i]) }
  case .log: for i in 0..<n { po[i] = S.log(px[i]) }
  case .sqrt: for i in 0..<n { po[i] = px[i].squareRoot() }
  case .square: for i in 0..<n { po[i] = px[i] * px[i] }
  case .sigmoid: for i in 0..<n { po[i] = 1 / (1 + S.exp(-px[i])) }
  case .silu: for i in 0..<n { po[i] = px[i] / (1 + S.exp(-px[i])) }
  case .relu: for i in 0..<n { po[i] = px[i] > 0 ? px[i] : 0 }
  case .tanh:
    for i in 0..<n {
      let e = S.exp(-2 * Swift.abs(px[i]))
      let t = (1 - e) / (1 + e)
      po[i] = px[i] < 0 ? -t : t
    }
  case .abs: for i in 0..<n { po[i] = Swift.abs(px[i]) }
  }
}

private func affineKernel<S: TensorScalar>(_ x: Tensor, _ out: Tensor, _ a: Double, _ b: Double, _: S.Type) {
  let px = x.pointer(S.self)
  let po = out.pointer(S.self)
  let sa = S(a)
  let sb = S(b)
  for i in 0..<x.count { po[i] = sa * px[i] + sb }
}

extension Tensor {
  func unaryForward(_ kind: UnaryKind) -> Tensor {
    let out = Tensor.empty(shape, dtype)
    switch dtype {
    case .float32: unaryKernel(kind, self, out, Float.self)
    case .float64: unaryKernel(kind, self, out, Double.self)
    }
    return out
  }

  func unary(_ kind: UnaryKind) -> Tensor {
    let out = unaryForward(kind)
    let x = self
    return Tensor.record(out, "\(kind)", [x]) { g in
      switch kind {
      case .exp: return [g * out]
      case .log: return [g / x]
      case .sqrt: return [g / (2 * out)]
      case .square: return [g * x * 2]
      case .sigmoid: return [g * out * (1 - out)]
      case .silu:
        // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x)))
        let s = x.unaryForward(.sigmoid)
        return [g * s * (x * (1 - s) + 1)]
      case .relu: return [g * x.map { $0 > 0 ? 1 : 0 }]
      case .tanh: return [g * (1 - out.unaryForward(.square))]
      case .abs: return [g * x.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }]
      }
    }
  }

  public func exp() -> Tensor { unary(.exp) }
  public func log() -> Tensor { unary(.log) }
  public func sqrt() -> Tensor { unary(.sqrt) }
  public func square() -> Tensor { unary(.square) }
  public func sigmoid() -> Tensor { unary(.sigmoid) }
  /// SiLU (swish): x·σ(x), the LLaMA MLP activation.
  public func silu() -> Tensor { unary(.silu) }
  public func relu() -> Tensor { unary(.relu) }
  public func tanh() -> Tensor { unary(.tanh) }
  public func abs() -> Tensor { unary(.abs) }

  /// scale·x + shift (covers scaling, negation and adding a constant).
  public func affine(scale: Double, shift: Double) -> Tensor {
    let out = Tensor.empty(shape, dtype)
    switch dtype {
    case .float32: affineKernel(self, out, scale, shift, Float.self)
    case .float64: affineKernel(self, out, scale, shift, Double.self)
    }
    return Tensor.record(out, "affine", [self]) { g in [g.affine(scale: scale, shift: 0)] }
  }

  /// Scales every element (differentiable).
  public func scaled(_ s: Double) -> Tensor { affine(scale: s, shift: 0) }

  /// Clamps into [low, high]; the gradient passes only where the input was inside.
  public func clamped(min low: Double, max high: Double) -> Tensor {
    let out = map { Swift.min(Swift.max($0, low), high) }
    let x = self
    return Tensor.record(out, "clamp", [x]) { g in
      [g * x.map { $0 >= low && $0 <= high ? 1 : 0 }]
    }
  }

  /// A non-differentiable element-wise map through Double (masks, diagnostics, tests).
  public func map(_ f: (Double) -> Double) -> Tensor {
    let out = Tensor.empty(shape, dtype)
    switch dtype {
    case .float32:
      let (px, po) = (pointer(Float.self), out.pointer(Float.self))
      for i in 0..<count { po[i] = Float(f(Double(px[i]))) }
    case .float64:
      let (px, po) = (pointer(Double.self), out.pointer(Double.self))
      for i in 0..<count { po[i] = f(px[i]) }
    }
    return out
  }

  /// A copy converted to another dtype (differentiable: the gradient is converted back).
  public func cast(_ to: DType) -> Tensor {
    if to == dtype { return self }
    let out = Tensor.empty(shape, to)
    switch to {
    case .float32:
      let (px, po) = (pointer(Double.self), out.pointer(Float.self))
      for i in 0..<count { po[i] = Float(px[i]) }
    case .float64:
      let (px, po) = (pointer(Float.self), out.pointer(Double.self))
      for i in 0..<count { po[i] = Double(px[i]) }
    }
    let from = dtype
    return Tensor.record(out, "cast", [self]) { g in [g.cast(from)] }
  }
}

/// SwiGLU: silu(gate) ⊙ up, fused (one pass forward, one pass backward). Shapes of `gate` and
/// `up` must match. When the tape records, the forward keeps each 1 + exp(−gate) for the backward,
/// which then needs no exp of its own (half the exps of a training step's MLPs; same bits).
/// Float32 runs the same arithmetic in C (`rc_swiglu_forward` / `_backward`, AVX2 where the CPU has
/// it: ElementwiseKernelTests pins the bits to this file's generic loops, which serve Float64).
public func swiglu(_ gate: Tensor, _ up: Tensor) -> Tensor { swiglu(gate, up, kernel: .c) }

func swiglu(_ gate: Tensor, _ up: Tensor, kernel: ElementwiseKernel) -> Tensor {
  precondition(gate.shape == up.shape, "swiglu: gate \(gate.shape) vs up \(up.shape)")
  precondition(gate.dtype == up.dtype, "swiglu: dtype \(gate.dtype) vs \(up.dtype)")
  let out = Tensor.empty(gate.shape, gate.dtype)
  let denominators = Tensor.willRecord([gate, up]) ? Tensor.empty(gate.shape, gate.dtype) : nil
  func forward<S: TensorScalar>(_: S.Type) {
    let (pg, pu, po) = (gate.pointer(S.self), up.pointer(S.self), out.pointer(S.self))
    let kept = denominators?.pointer(S.self)
    ParallelLoop.run(out.count) { range in
      for i in range {
        let den = 1 + S.exp(-pg[i])
        po[i] = pg[i] / den * pu[i]
        kept?[i] = den
      }
    }
  }
  if let simd = kernel.simd(gate.dtype) {
    let (pg, pu, po) = (gate.pointer(Float.self), up.pointer(Float.self), out.pointer(Float.self))
    let kept = denominators?.pointer(Float.self)
    ParallelLoop.run(out.count) { r in
      let i = r.lowerBound
      rc_swiglu_forward(pg + i, pu + i, po + i, kept.map { $0 + i }, r.count, simd)
    }
  } else {
    switch gate.dtype {
    case .float32: forward(Float.self)
    case .float64: forward(Double.self)
    }
  }
  return Tensor.record(out, "swiglu", [gate, up]) { g in
    let dGate = Tensor.empty(gate.shape, gate.dtype)
    let dUp = Tensor.empty(gate.shape, gate.dtype)
    func backward<S: TensorScalar>(_: S.Type) {
      let (pg, pu, pd) = (gate.pointer(S.self), up.pointer(S.self), g.pointer(S.self))
      let (dg, du) = (dGate.pointer(S.self), dUp.pointer(S.self))
      // The tape entry exists only when `willRecord` held, so the forward kept the denominators.
      let kept = denominators!.pointer(S.self)
      ParallelLoop.run(g.count) { range in
        for i in range {
          let x = pg[i]
          let s = 1 / kept[i]
          du[i] = pd[i] * x * s
          dg[i] = pd[i] * pu[i] * s * (1 + x * (1 - s))
        }
      }
    }
    if let simd = kernel.simd(gate.dtype) {
      let (pg, pu, pd) = (gate.pointer(Float.self), up.pointer(Float.self), g.pointer(Float.self))
      let (dg, du, kept) = (
        dGate.pointer(Float.self), dUp.pointer(Float.self), denominators!.pointer(Float.self)
      )
      ParallelLoop.run(g.count) { r in
        let i = r.lowerBound
        rc_swiglu_backward(pg + i, pu + i, kept + i, pd + i, dg + i, du + i, r.count, simd)
      }
    } else {
      switch gate.dtype {
      case .float32: backward(Float.self)
      case .float64: backward(Double.self)
      }
    }
    return [dGate, dUp]
  }
}
