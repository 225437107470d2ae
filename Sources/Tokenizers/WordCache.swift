import Foundation

// Per-word memo of BPE results. RL rollouts re-tokenize the same vocabulary of words constantly, so
// most pieces hit the cache. Shared across threads behind a lock; bounded by clearing when full.

/// A word's bytes as a dictionary key, hashed in one call rather than byte by byte.
struct WordKey: Hashable {
  var bytes: [UInt8]
  func hash(into h: inout Hasher) { bytes.withUnsafeBytes { h.combine(bytes: $0) } }
}

final class WordCache: @unchecked Sendable {
  private var table: [WordKey: [Int32]] = [:]
  private let lock = NSLock()
  private let capacity: Int

  init(capacity: Int = 1 << 17) { self.capacity = capacity }

  func get(_ key: WordKey) -> [Int32]? {
    lock.lock()
    defer { lock.unlock() }
    return table[key]
  }

  func set(_ key: WordKey, _ value: [Int32]) {
    lock.lock()
    defer { lock.unlock() }
    if table.count >= capacity { table.removeAll(keepingCapacity: true) }
    table[key] = value
  }
}
