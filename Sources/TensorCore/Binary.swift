/// Element-wise binary ops with NumPy broadcasting. Fast paths: equal shapes, a scalar operand,
/// and one shape a suffix of the other (a bias over leading dims); anything else takes a strided
/// loop. Backward sums the gradient over the broadcast axes (`sumToShape`).
enum BinaryKind { case add, sub, mul, div, maximum, minimum }

@inline(__always)
private func apply<S: TensorScalar>(_ kind: BinaryKind, _ x: S, _ y: S) -> S {
  switch kind {
  case .add: return x + y
  case .sub: return x - y
  case .mul: return x * y
  case .div: return x / y
  case .maximum: return x >= y ? x : y
  case .minimum: return x <= y ? x : y
  }
}

private func binaryKernel<S: TensorScalar>(
  _ kind: BinaryKind, _ a: Tensor, _ b: Tensor, _ out: Tensor, _: S.Type
) {
  let pa = a.pointer(S.self)
  let pb = b.pointer(S.self)
  let po = out.pointer(S.self)
  let n = out.count
  @inline(__always) func run(_ f: (S, S) -> S) {
    if a.count == n && b.count == n {
      for i in 0..<n { po[i] = f(pa[i], pb[i]) }
    } else if b.count == 1 {
      let y = pb[0]
      for i in 0..<n { po[i] = f(pa[i], y) }
    } else if a.count == 1 {
      let x = pa[0]
      for i in 0..<n { po[i] = f(x, pb[i]) }
    } else if a.count == n && Array(a.shape.suffix(b.rank)) == b.shape {
      let inner = b.count
      for o in stride(from: 0, to: n, by: inner) {
        for i in 0..<inner { po[o + i] = f(pa[o + i], pb[i]) }
      }
    } else if b.count == n && Array(b.shape.suffix(a.rank)) == a.shape {
      let inner = a.count
      for o in stride(from: 0, to: n, by: inner) {
        for i in 0..<inner { po[o + i] = f(pa[i], pb[o + i]) }
      }
    } else {
      let shape = out.shape
      let rank = shape.count
      func bstrides(_ s: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: rank - s.count) + s
        let st = Shape.strides(padded)
        return (0..<rank).map { padded[$0] == 1 ? 0 : st[$0] }
      }
      let sa = bstrides(a.shape)
      let sb = bstrides(b.shape)
      var index = [Int](repeating: 0, count: rank)
      var ia = 0
      var ib = 0
      for o in 0..<n {
        po[o] = f(pa[ia], pb[ib])
        var d = rank - 1
        while d >= 0 {
          index[d] += 1
          ia += sa[d]
          ib += sb[d]
          if index[d] < shape[d] { break }
          ia -= sa[d] * shape[d]
          ib -= sb[d] * shape[d]
          index[d] = 0
          d -= 1
        }
      }
    }
  }
  switch kind {
  case .add: run { $0 + $1 }
  case .sub: run { $0 - $1 }
  case .mul: run { $0 * $1 }
  case .div: run { $0 / $1 }
  case .maximum: run { apply(.maximum, $0, $1) }
  case .minimum: run { apply(.minimum, $0, $1) }
  }
}

func binaryForward(_ kind: BinaryKind, _ a: Tensor, _ b: Tensor) -> Tensor {
  precondition(a.dtype == b.dtype, "dtype mismatch: \(a.dtype) \(a.shape) vs \(b.dtype) \(b.shape)")
  let shape = Shape.broadcast(a.shape, b.shape).orFail()
  let out = Tensor.empty(shape, a.dtype)
  switch a.dtype {
  case .float32: binaryKernel(kind, a, b, out, Float.self)
  case .float64: binaryKernel(kind, a, b, out, Double.self)
  }
  return out
}

extension Tensor {
  static func binary(_ kind: BinaryKind, _ a: Tensor, _ b: Tensor) -> Tensor {
    let out = binaryForward(kind, a, b)
    let name = "\(kind)"
    return record(out, name, [a, b]) { g in
      switch kind {
      case .add:
        return [g.sumToShape(a.shape), g.sumToShape(b.shape)]
      case .sub:
        return [g.sumToShape(a.shape), (-g).sumToShape(b.shape)]
      case .mul:
        return [(g * b).sumToShape(a.shape), (g * a).sumToShape(b.shape)]
      case .div:
        let ga = (g / b).sumToShape(a.shape)
        let gb = (-(g * out) / b).sumToShape(b.shape)
        return [ga, gb]
      case .maximum, .minimum:
        // The gradient goes to the operand that was selected (to `a` on ties).
        let pickA = binaryForward(.sub, out, a).map { $0 == 0 ? 1 : 0 }
        return [(g * pickA).sumToShape(a.shape), (g * (1 - pickA)).sumToShape(b.shape)]
      }
    }
  }

  /// Sums a broadcast gradient back down to `shape` (the inverse of broadcasting).
  public func sumToShape(_ target: [Int]) -> Tensor {
    if shape == target { return self }
    if Shape.count(target) == 1 { return sum().reshaped(target) }
    let lead = rank - target.count
    var t = self
    if lead > 0 {
      // Collapse all leading axes at once: view as (outer, rest) and sum axis 0.
      t = t.reshaped([Shape.count(Array(shape.prefix(lead))), Shape.count(target)]).sum(axis: 0)
      t = t.reshaped(Array(shape.suffix(target.count)))
    }
    for axis in 0..<target.count where target[axis] == 1 && t.shape[axis] != 1 {
      t = t.sum(axis: axis, keepDims: true)
    }
    return t.reshaped(target)
  }

  public static func + (a: Tensor, b: Tensor) -> Tensor { binary(.add, a, b) }
  public static func - (a: Tensor, b: Tensor) -> Tensor { binary(.sub, a, b) }
  public static func * (a: Tensor, b: Tensor) -> Tensor { binary(.mul, a, b) }
  public static func / (a: Tensor, b: Tensor) -> Tensor { binary(.div, a, b) }
  public static func + (a: Tensor, b: Double) -> Tensor { a.affine(scale: 1, shift: b) }
  public static func - (a: Tensor, b: Double) -> Tensor { a.affine(scale: 1, shift: -b) }
  public static func - (a: Double, b: Tensor) -> Tensor { b.affine(scale: -1, shift: a) }
  public static func * (a: Tensor, b: Double) -> Tensor { a.affine(scale: b, shift: 0) }
  public static func * (a: Double, b: Tensor) -> Tensor { b.affine(scale: a, shift: 0) }
  public static func / (a: Tensor, b: Double) -> Tensor { a.affine(scale: 1 / b, shift: 0) }
  public static prefix func - (a: Tensor) -> Tensor { a.affine(scale: -1, shift: 0) }

  /// Element-wise maximum (the gradient flows to the larger operand; to `a` on ties).
  public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.maximum, a, b) }
  /// Element-wise minimum (the gradient flows to the smaller operand; to `a` on ties).
  public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.minimum, a, b) }
}

/// dst += src, in place, for gradient accumulation (shapes must match; no tape).
func addInPlace(_ dst: Tensor, _ src: Tensor) {
  precondition(dst.shape == src.shape, "grad accumulation: \(dst.shape) vs \(src.shape)")
  switch dst.dtype {
  case .float32:
    let d = dst.pointer(Float.self)
    let s = src.pointer(Float.self)
    for i in 0..<dst.count { d[i] += s[i] }
  case .float64:
    let d = dst.pointer(Double.self)
    let s = src.pointer(Double.self)
    for i in 0..<dst.count { d[i] += s[i] }
  }
}
