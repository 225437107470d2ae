/// Attention of one query row over cached keys (T = 1, a KV-cached decode step), Float32 only.
///
/// `causalAttention` runs two GEMMs per head; at T = 1 they are matrix-vector products of a 64-wide
/// head against a few hundred cached rows, and handing each to OpenBLAS costs a call into it and
/// wakes its worker threads, which then spin (`sched_yield`) on the cores the quantized kernels
/// need. Here the same arithmetic runs inline over only the visible keys.
///
/// Float32 decode steps run the C twin `rc_decode_attention_heads` (AVX2 where the CPU has it,
/// same bits: `DecodeAttentionTests`); this Swift version is its reference and the path of
/// `roundProbabilities` (llama.cpp's F16 probabilities).
enum SingleQueryAttention {
  typealias V8 = SIMD8<Float>

  /// q·k over `d` values, 8 lanes at a time.
  @inline(__always)
  static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
    var acc = V8()
    var i = 0
    while i + 8 <= d {
      acc +=
        UnsafeRawPointer(a + i).loadUnaligned(as: V8.self)
        * UnsafeRawPointer(b + i).loadUnaligned(as: V8.self)
      i += 8
    }
    var sum = acc.sum()
    while i < d {
      sum += a[i] * b[i]
      i += 1
    }
    return sum
  }

  /// out (d) = Σ_j p_j · v_j over keys `visible` of the (s, d) key/value rows, with
  /// p = softmax(scale · q·k_j) over the visible keys and 0 elsewhere; `p` (s values) receives the
  /// probabilities (kept for the backward pass). `roundProbabilities` rounds the visible p_j to
  /// binary16 before P·V, as llama.cpp's F16-cache attention does. nil `visible`: all zeros.
  static func run(
    q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, dim d: Int,
    keyCount s: Int, visible: ClosedRange<Int>?, scale: Float, roundProbabilities: Bool,
    probabilities p: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>
  ) {
    p.update(repeating: 0, count: s)
    out.update(repeating: 0, count: d)
    guard let visible else { return }
    var m = -Float.infinity
    for j in visible {
      p[j] = scale * dot(q, keys + j * d, d)
      m = max(m, p[j])
    }
    var sum: Float = 0
    for j in visible {
      let e = Float.exp(p[j] - m)
      p[j] = e
      sum += e
    }
    let inv = 1 / sum
    for j in visible {
      p[j] *= inv
      if roundProbabilities { p[j] = Half.round(p[j]) }
    }
    for j in visible {
      let (pj, row) = (p[j], values + j * d)
      var i = 0
      while i + 8 <= d {
        let o = UnsafeMutableRawPointer(out + i)
        o.storeBytes(
          of: o.loadUnaligned(as: V8.self) + pj * UnsafeRawPointer(row + i).loadUnaligned(as: V8.self),
          as: V8.self)
        i += 8
      }
      while i < d {
        out[i] += pj * row[i]
        i += 1
      }
    }
  }
}
