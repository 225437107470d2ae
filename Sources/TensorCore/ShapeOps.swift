/// Reshape (a view sharing storage), permute/transpose (a copy), slice and concatenate.
extension Tensor {
  /// The same elements under a new shape; one dimension may be -1 (inferred). A view: it shares
  /// this tensor's storage.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var target = newShape
    if let inferred = target.firstIndex(of: -1) {
      let known = target.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
      precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) from \(shape)")
      target[inferred] = count / known
    }
    precondition(
      Shape.count(target) == count,
      "reshape: \(shape) (\(count) elements) cannot become \(newShape) (\(Shape.count(target)) elements)")
    if target == shape { return self }
    let out = Tensor(shape: target, storage: storage)
    let inShape = shape
    return Tensor.record(out, "reshape", [self]) { g in [g.reshaped(inShape)] }
  }

  /// Axes reordered: output axis i is input axis `dims[i]`. Copies (contiguous output).
  public func permuted(_ dims: [Int]) -> Tensor {
    precondition(
      dims.count == rank && Set(dims) == Set(0..<rank),
      "permute: \(dims) is not a permutation of axes of \(shape)")
    if dims == Array(0..<rank) { return self }
    let outShape = dims.map { shape[$0] }
    let out = Tensor.empty(outShape, dtype)
    let inStrides = Shape.strides(shape)
    // Copy runs of the innermost axis when it stays innermost (the (B,T,H,D)↔(B,H,T,D) case).
    let run = dims.last == rank - 1 ? shape[rank - 1] : 1
    let outerRank = run > 1 ? rank - 1 : rank
    let srcStride = dims.prefix(outerRank).map { inStrides[$0] }
    let loopShape = Array(outShape.prefix(outerRank))
    func kernel<S: TensorScalar>(_: S.Type) {
      let (px, po) = (pointer(S.self), out.pointer(S.self))
      let total = Shape.count(loopShape)
      if total == 0 || run == 0 { return }
      var index = [Int](repeating: 0, count: outerRank)
      var src = 0
      for o in 0..<total {
        if run > 1 {
          (po + o * run).update(from: px + src, count: run)
        } else {
          po[o] = px[src]
        }
        var d = outerRank - 1
        while d >= 0 {
          index[d] += 1
          src += srcStride[d]
          if index[d] < loopShape[d] { break }
          src -= srcStride[d] * loopShape[d]
          index[d] = 0
          d -= 1
        }
      }
    }
    switch dtype {
    case .float32: kernel(Float.self)
    case .float64: kernel(Double.self)
    }
    var inverse = [Int](repeating: 0, count: rank)
    for (i, d) in dims.enumerated() { inverse[d] = i }
    return Tensor.record(out, "permute", [self]) { g in [g.permuted(inverse)] }
  }

  /// Swaps two axes (negative axes count from the end).
  public func transposed(_ a0: Int = -2, _ a1: Int = -1) -> Tensor {
    let x = a0 < 0 ? a0 + rank : a0
    let y = a1 < 0 ? a1 + rank : a1
    var dims = Array(0..<rank)
    dims.swapAt(x, y)
    return permuted(dims)
  }

  /// Elements `range` along `axis` (a copy).
  public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
    let ax = axis < 0 ? axis + rank : axis
    precondition(ax >= 0 && ax < rank, "slice: axis \(axis) out of range for shape \(shape)")
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[ax],
      "slice: range \(range) out of bounds for axis \(ax) of shape \(shape)")
    var outShape = shape
    outShape[ax] = range.count
    let out = Tensor.empty(outShape, dtype)
    copyBlocks(from: self, to: out, axis: ax, srcOffset: range.lowerBound, dstOffset: 0, length: range.count)
    let inShape = shape
    let inDtype = dtype
    return Tensor.record(out, "slice", [self]) { g in
      let full = Tensor(zeros: inShape, dtype: inDtype)
      copyBlocks(from: g, to: full, axis: ax, srcOffset: 0, dstOffset: range.lowerBound, length: range.count)
      return [full]
    }
  }

  /// Concatenates tensors along `axis`; all other dims must agree.
  public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
    precondition(!parts.isEmpty, "concat of no tensors")
    let first = parts[0]
    let ax = axis < 0 ? axis + first.rank : axis
    for p in parts {
      precondition(
        p.rank == first.rank && p.dtype == first.dtype
          && (0..<p.rank).allSatisfy { $0 == ax || p.shape[$0] == first.shape[$0] },
        "concat along axis \(ax): shape \(p.shape) does not match \(first.shape)")
    }
    var outShape = first.shape
    outShape[ax] = parts.reduce(0) { $0 + $1.shape[ax] }
    let out = Tensor.empty(outShape, first.dtype)
    var offset = 0
    var offsets: [Int] = []
    for p in parts {
      offsets.append(offset)
      copyBlocks(from: p, to: out, axis: ax, srcOffset: 0, dstOffset: offset, length: p.shape[ax])
      offset += p.shape[ax]
    }
    return record(out, "concat", parts) { g in
      zip(parts, offsets).map { p, o in
        let part = Tensor.empty(p.shape, p.dtype)
        copyBlocks(from: g, to: part, axis: ax, srcOffset: o, dstOffset: 0, length: p.shape[ax])
        return part
      }
    }
  }
}

/// Copies `length` entries along `axis` from `src` (starting at srcOffset) into `dst` (at
/// dstOffset), for every (outer, inner) position.
func copyBlocks(from src: Tensor, to dst: Tensor, axis: Int, srcOffset: Int, dstOffset: Int, length: Int) {
  let outer = Shape.count(Array(src.shape[..<axis]))
  let inner = Shape.count(Array(src.shape[(axis + 1)...]))
  let (ns, nd) = (src.shape[axis], dst.shape[axis])
  func kernel<S: TensorScalar>(_: S.Type) {
    let (ps, pd) = (src.pointer(S.self), dst.pointer(S.self))
    for o in 0..<outer {
      (pd + (o * nd + dstOffset) * inner).update(
        from: ps + (o * ns + srcOffset) * inner, count: length * inner)
    }
  }
  switch src.dtype {
  case .float32: kernel(Float.self)
  case .float64: kernel(Double.self)
  }
}
