// Rank-ordered BPE merging of one pre-tokenized word (Sennrich et al. 2016; byte-level variant of
// GPT-2). Symbols form a linked list over the word's bytes; candidate pairs sit in a min-heap keyed
// by (rank, left position), so each merge costs O(log n) and ties go to the leftmost pair — the
// order HF tokenizers and llama.cpp both use.

/// Merge table: pair of symbol ids → (rank, merged id).
struct BPEMerges: Sendable {
  private var table: [UInt64: UInt64] = [:]

  var count: Int { table.count }

  @inline(__always)
  private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
  }

  /// Adds a merge; an earlier (lower-rank) duplicate wins, as in both reference implementations.
  mutating func add(left: Int32, right: Int32, rank: Int, merged: Int32) {
    let k = Self.key(left, right)
    if table[k] == nil { table[k] = UInt64(rank) << 32 | UInt64(UInt32(bitPattern: merged)) }
  }

  @inline(__always)
  func lookup(_ left: Int32, _ right: Int32) -> (rank: UInt32, merged: Int32)? {
    guard let v = table[Self.key(left, right)] else { return nil }
    return (UInt32(truncatingIfNeeded: v >> 32), Int32(bitPattern: UInt32(truncatingIfNeeded: v)))
  }

  /// Merges `symbols` (initial ids, one per byte) in place and returns the surviving ids in order.
  /// Example: symbols [h, e, l, l, o] with merges (l,l)=0, (h,e)=1, (he,ll)=2 → [hell, o].
  func apply(_ symbols: [Int32]) -> [Int32] {
    let n = symbols.count
    if n < 2 { return symbols }
    var ids = symbols
    var next = [Int32](repeating: -1, count: n)
    var prev = [Int32](repeating: -1, count: n)
    for i in 0..<n {
      next[i] = i + 1 < n ? Int32(i + 1) : -1
      prev[i] = Int32(i - 1)
    }
    var heap = MinHeap()
    for i in 0..<(n - 1) {
      if let m = lookup(ids[i], ids[i + 1]) { heap.push(UInt64(m.rank) << 32 | UInt64(i)) }
    }
    while let top = heap.pop() {
      let rank = UInt32(truncatingIfNeeded: top >> 32)
      let left = Int(UInt32(truncatingIfNeeded: top))
      let right = Int(next[left])
      // Stale entry: the left symbol was absorbed, or its pair changed since it was pushed (a rank
      // names exactly one pair, so an equal rank means the same pair is still there).
      guard ids[left] >= 0, right >= 0, let m = lookup(ids[left], ids[right]), m.rank == rank else {
        continue
      }
      ids[left] = m.merged
      ids[right] = -1
      let after = next[right]
      next[left] = after
      if after >= 0 { prev[Int(after)] = Int32(left) }
      let before = prev[left]
      if before >= 0, let p = lookup(ids[Int(before)], ids[left]) {
        heap.push(UInt64(p.rank) << 32 | UInt64(before))
      }
      if after >= 0, let p = lookup(ids[left], ids[Int(after)]) {
        heap.push(UInt64(p.rank) << 32 | UInt64(left))
      }
    }
    var out: [Int32] = []
    var i = 0
    while i >= 0 {
      out.append(ids[i])
      i = Int(next[i])
    }
    return out
  }
}

/// A binary min-heap of packed (rank << 32 | position) keys.
struct MinHeap {
  private var items: [UInt64] = []

  mutating func push(_ x: UInt64) {
    items.append(x)
    var i = items.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      if items[parent] <= items[i] { break }
      items.swapAt(parent, i)
      i = parent
    }
  }

  mutating func pop() -> UInt64? {
    guard let first = items.first else { return nil }
    let last = items.removeLast()
    if items.isEmpty { return first }
    items[0] = last
    var i = 0
    let n = items.count
    while true {
      let l = 2 * i + 1
      let r = l + 1
      var m = i
      if l < n && items[l] < items[m] { m = l }
      if r < n && items[r] < items[m] { m = r }
      if m == i { break }
      items.swapAt(i, m)
      i = m
    }
    return first
  }
}
