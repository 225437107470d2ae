/// Sums and means, over everything or one axis. The axis reduction views the tensor as
/// (outer, n, inner) and sums the middle axis; its backward repeats the gradient along it.
extension Tensor {
  /// Sum of all elements, as a rank-0 tensor.
  public func sum() -> Tensor {
    let out = Tensor.empty([], dtype)
    switch dtype {
    case .float32:
      // Accumulate Float32 in Double: long sums (a loss over many tokens) stay exact enough.
      let p = pointer(Float.self)
      var acc = 0.0
      for i in 0..<count { acc += Double(p[i]) }
      out.pointer(Float.self)[0] = Float(acc)
    case .float64:
      let p = pointer(Double.self)
      var acc = 0.0
      for i in 0..<count { acc += p[i] }
      out.pointer(Double.self)[0] = acc
    }
    let shape = self.shape
    return Tensor.record(out, "sum", [self]) { g in [Tensor.full(shape, g.item(), dtype: g.dtype)] }
  }

  /// Mean of all elements, as a rank-0 tensor.
  public func mean() -> Tensor { sum().scaled(1 / Double(Swift.max(count, 1))) }

  /// Sum over one axis (negative axes count from the end).
  public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
    let ax = axis < 0 ? axis + rank : axis
    precondition(ax >= 0 && ax < rank, "sum: axis \(axis) out of range for shape \(shape)")
    let outer = Shape.count(Array(shape[..<ax]))
    let n = shape[ax]
    let inner = Shape.count(Array(shape[(ax + 1)...]))
    var kept = shape
    kept[ax] = 1
    let out = Tensor(
      zeros: keepDims ? kept : shape.enumerated().filter { $0.offset != ax }.map(\.element), dtype: dtype)
    func kernel<S: TensorScalar>(_: S.Type) {
      let (px, po) = (pointer(S.self), out.pointer(S.self))
      for o in 0..<outer {
        for j in 0..<n {
          let src = px + (o * n + j) * inner
          let dst = po + o * inner
          for i in 0..<inner { dst[i] += src[i] }
        }
      }
    }
    switch dtype {
    case .float32: kernel(Float.self)
    case .float64: kernel(Double.self)
    }
    let inShape = shape
    return Tensor.record(out, "sum(axis)", [self]) { g in [g.repeatAlong(axis: ax, count: n, to: inShape)] }
  }

  /// Mean over one axis.
  public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
    let ax = axis < 0 ? axis + rank : axis
    return sum(axis: ax, keepDims: keepDims).scaled(1 / Double(Swift.max(shape[ax], 1)))
  }

  /// Backward of an axis sum: copies each (outer, inner) value `count` times along `axis`.
  func repeatAlong(axis ax: Int, count n: Int, to target: [Int]) -> Tensor {
    let outer = Shape.count(Array(target[..<ax]))
    let inner = Shape.count(Array(target[(ax + 1)...]))
    let out = Tensor.empty(target, dtype)
    func kernel<S: TensorScalar>(_: S.Type) {
      let (pg, po) = (pointer(S.self), out.pointer(S.self))
      for o in 0..<outer {
        for j in 0..<n {
          (po + (o * n + j) * inner).update(from: pg + o * inner, count: inner)
        }
      }
    }
    switch dtype {
    case .float32: kernel(Float.self)
    case .float64: kernel(Double.self)
    }
    return out
  }
}

extension Tensor {
  /// Mean of each contiguous range of a rank-1 tensor: (N) → (S), S = ranges.count. Empty
  /// ranges give 0. RL losses use it for per-sequence and per-action mean log-probabilities.
  ///
  /// Example: [1, 2, 3, 4] with ranges [0..<1, 1..<4] → [1, 3].
  public func segmentMeans(_ ranges: [Range<Int>]) -> Tensor {
    precondition(rank == 1, "segmentMeans: input must be rank 1, got \(shape)")
    for r in ranges {
      precondition(
        r.lowerBound >= 0 && r.upperBound <= count, "segmentMeans: range \(r) outside 0..<\(count)")
    }
    let out = Tensor(zeros: [ranges.count], dtype: dtype)
    func forward<S: TensorScalar>(_: S.Type) {
      let (px, po) = (pointer(S.self), out.pointer(S.self))
      for (s, r) in ranges.enumerated() where !r.isEmpty {
        var acc: S = 0
        for i in r { acc += px[i] }
        po[s] = acc / S(r.count)
      }
    }
    switch dtype {
    case .float32: forward(Float.self)
    case .float64: forward(Double.self)
    }
    let n = count
    return Tensor.record(out, "segmentMeans", [self]) { g in
      let grad = Tensor(zeros: [n], dtype: g.dtype)
      func backward<S: TensorScalar>(_: S.Type) {
        let (pg, pd) = (g.pointer(S.self), grad.pointer(S.self))
        for (s, r) in ranges.enumerated() where !r.isEmpty {
          let v = pg[s] / S(r.count)
          for i in r { pd[i] += v }
        }
      }
      switch g.dtype {
      case .float32: backward(Float.self)
      case .float64: backward(Double.self)
      }
      return [grad]
    }
  }
}
