import Foundation

// Per-word memo of BPE results. RL rollouts re-tokenize the same words constantly, so most pieces
// hit the cache. Open addressing over flat arenas: a lookup hashes the word's bytes in place (no
// key allocation) and the lock is taken once per text fragment, not once per word.

/// The table itself; only touched under `WordCache`'s lock.
struct WordTable {
  private var slots: [Int32]  // entry index + 1; 0 = empty. Count is a power of two.
  private var hashes: [UInt64] = []
  private var keyStart: [Int32] = []
  private var keyBytes: [UInt8] = []
  private var valueStart: [Int32] = []  // entry i's ids: values[valueStart[i]..<valueStart[i+1]]
  private(set) var values: [Int32] = []
  let maxEntries: Int

  init(maxEntries: Int) {
    self.maxEntries = maxEntries
    var n = 16
    while n < maxEntries * 2 { n <<= 1 }
    slots = [Int32](repeating: 0, count: n)
    keyStart = [0]
    valueStart = [0]
  }

  /// FNV-1a over the bytes. Example: hash of [] is 0xCBF29CE484222325.
  @inline(__always)
  static func hash(_ w: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in w { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    return h
  }

  /// Range of the cached ids for word `w` in `values`, or nil.
  func lookup(_ w: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Range<Int>? {
    let mask = slots.count - 1
    var s = Int(truncatingIfNeeded: h) & mask
    while true {
      let e = Int(slots[s]) - 1
      if e < 0 { return nil }
      if hashes[e] == h {
        let k0 = Int(keyStart[e])
        let k1 = Int(keyStart[e + 1])
        if k1 - k0 == w.count
          && keyBytes.withUnsafeBufferPointer({ kb in
            memcmp(kb.baseAddress! + k0, w.baseAddress!, w.count) == 0
          })
        {
          return Int(valueStart[e])..<Int(valueStart[e + 1])
        }
      }
      s = (s + 1) & mask
    }
  }

  mutating func insert(_ w: UnsafeBufferPointer<UInt8>, hash h: UInt64, ids: ArraySlice<Int32>) {
    if lookup(w, hash: h) != nil { return }  // another thread got there first
    if hashes.count >= maxEntries { self = WordTable(maxEntries: maxEntries) }
    let mask = slots.count - 1
    var s = Int(truncatingIfNeeded: h) & mask
    while slots[s] != 0 { s = (s + 1) & mask }
    hashes.append(h)
    slots[s] = Int32(hashes.count)
    keyBytes.append(contentsOf: w)
    keyStart.append(Int32(keyBytes.count))
    values.append(contentsOf: ids)
    valueStart.append(Int32(values.count))
  }
}

/// Thread-safe wrapper: callers batch their lookups and inserts inside `withLock`.
final class WordCache: @unchecked Sendable {
  private var table: WordTable
  private let lock = NSLock()

  init(maxEntries: Int = 1 << 17) { table = WordTable(maxEntries: maxEntries) }

  func withLock<R>(_ body: (inout WordTable) -> R) -> R {
    lock.lock()
    defer { lock.unlock() }
    return body(&table)
  }
}
