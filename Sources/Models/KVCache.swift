import TensorCore

/// Keys and values of every layer for a batch of sequences, preallocated to `capacity`
/// positions so a decode step writes one row per (batch, head) instead of copying the cache.
/// Layout per layer: (B, Hkv, capacity, Dh). `length` positions are filled, the same for every
/// sequence of the batch (left padding keeps them aligned; `keyStart` masks the pads).
public final class KVCache {
  public private(set) var batch: Int
  public let capacity: Int
  public private(set) var length = 0
  /// Per sequence, the first key position that is not padding.
  public var keyStart: [Int]
  var keys: [Tensor]
  var values: [Tensor]
  /// Whether keys and values are rounded to binary16 as they are written (llama.cpp's default F16
  /// cache type), and attention then also rounds Q and the probabilities as llama.cpp's non-flash
  /// path does. Storage stays Float32.
  public let halfPrecision: Bool

  public init(
    config: ModelConfig, batch: Int, capacity: Int, dtype: DType = .float32, halfPrecision: Bool = false
  ) {
    precondition(!halfPrecision || dtype == .float32, "an F16-rounded KV cache stores Float32")
    self.halfPrecision = halfPrecision
    self.batch = batch
    self.capacity = capacity
    keyStart = [Int](repeating: 0, count: batch)
    let shape = [batch, config.numKeyValueHeads, capacity, config.headDim]
    keys = (0..<config.numHiddenLayers).map { _ in Tensor(zeros: shape, dtype: dtype) }
    values = (0..<config.numHiddenLayers).map { _ in Tensor(zeros: shape, dtype: dtype) }
  }

  /// Writes new keys/values (B, Hkv, T, Dh) of `layer` at positions length..<length+T.
  func write(layer: Int, keys newK: Tensor, values newV: Tensor) {
    let (hkv, t, dh) = (newK.shape[1], newK.shape[2], newK.shape[3])
    precondition(length + t <= capacity, "KV cache full: \(length) + \(t) > capacity \(capacity)")
    for (dst, src) in [(keys[layer], newK), (values[layer], newV)] {
      let (pd, ps) = (dst.pointer(Float.self), src.pointer(Float.self))
      for b in 0..<batch {
        for h in 0..<hkv {
          let from = ((b * hkv + h) * t) * dh
          let to = ((b * hkv + h) * capacity + length) * dh
          (pd + to).update(from: ps + from, count: t * dh)
          if halfPrecision { Half.roundInPlace(pd + to, count: t * dh) }
        }
      }
    }
  }

  /// Marks `t` more positions as filled (after every layer has written them).
  func advance(by t: Int) { length += t }

  /// Keeps only the sequences `rows` (cache rows, in the order given) and drops the rest, so a
  /// batch can shrink as its sequences finish: decode steps then stop paying for finished rows.
  /// Only the `length` filled positions are copied; the new tensors are not zeroed first (positions
  /// from `length` on are written before any attention reads them), since zeroing a 192-row,
  /// 800-position cache of every layer cost as much as the copy itself (perf, session 36).
  public func retain(rows: [Int]) {
    precondition(rows.allSatisfy { (0..<batch).contains($0) }, "KVCache.retain: row out of 0..<\(batch)")
    if rows == Array(0..<batch) { return }
    let (hkv, dh) = (keys[0].shape[1], keys[0].shape[3])
    let shape = [rows.count, hkv, capacity, dh]
    func compacted(_ src: Tensor) -> Tensor {
      let dst = Tensor.uninitialized(shape, dtype: src.dtype)
      let (pd, ps) = (dst.pointer(Float.self), src.pointer(Float.self))
      for (to, from) in rows.enumerated() {
        for h in 0..<hkv {
          (pd + (to * hkv + h) * capacity * dh).update(
            from: ps + (from * hkv + h) * capacity * dh, count: length * dh)
        }
      }
      return dst
    }
    keys = keys.map(compacted)
    values = values.map(compacted)
    keyStart = rows.map { keyStart[$0] }
    batch = rows.count
  }

  /// Forgets everything (reuse for another batch of the same size).
  public func reset() {
    length = 0
    keyStart = [Int](repeating: 0, count: batch)
  }
}
