/// Embedding lookup (row gather) and its backward (scatter-add into the table's gradient).
extension Tensor {
  /// Rows `ids` of a (V, D) table, shaped `idShape + [D]` (e.g. ids of a (B, T) batch → (B, T, D)).
  /// Ids out of range trap with a message naming the id and V.
  public static func gatherRows(_ table: Tensor, ids: [Int], shape idShape: [Int]) -> Tensor {
    precondition(table.rank == 2, "gatherRows: table must be (V, D), got \(table.shape)")
    precondition(Shape.count(idShape) == ids.count, "gatherRows: \(ids.count) ids for shape \(idShape)")
    let (v, d) = (table.shape[0], table.shape[1])
    for id in ids { precondition(id >= 0 && id < v, "gatherRows: id \(id) out of range 0..<\(v)") }
    let out = Tensor.empty(idShape + [d], table.dtype)
    func kernel<S: TensorScalar>(_: S.Type) {
      let (pt, po) = (table.pointer(S.self), out.pointer(S.self))
      for (i, id) in ids.enumerated() { (po + i * d).update(from: pt + id * d, count: d) }
    }
    switch table.dtype {
    case .float32: kernel(Float.self)
    case .float64: kernel(Double.self)
    }
    return record(out, "gatherRows", [table]) { g in
      let grad = Tensor(zeros: [v, d], dtype: table.dtype)
      func scatter<S: TensorScalar>(_: S.Type) {
        let (pg, pd) = (g.pointer(S.self), grad.pointer(S.self))
        for (i, id) in ids.enumerated() {
          let (src, dst) = (pg + i * d, pd + id * d)
          for j in 0..<d { dst[j] += src[j] }
        }
      }
      switch table.dtype {
      case .float32: scatter(Float.self)
      case .float64: scatter(Double.self)
      }
      return [grad]
    }
  }
}
