import Foundation
import XCTest

@testable import Tokenizers

final class WordCacheTests: XCTestCase {
  func lookup(_ t: WordTable, _ s: String) -> [Int32]? {
    Array(s.utf8).withUnsafeBufferPointer { w in
      t.lookup(w, hash: WordTable.hash(w)).map { Array(t.values[$0]) }
    }
  }

  func insert(_ t: inout WordTable, _ s: String, _ ids: [Int32]) {
    Array(s.utf8).withUnsafeBufferPointer { w in t.insert(w, hash: WordTable.hash(w), ids: ids[...]) }
  }

  func testInsertLookupAndResetWhenFull() {
    var t = WordTable(maxEntries: 4)
    insert(&t, "ab", [1])
    insert(&t, "abc", [2, 3])
    insert(&t, "ba", [])
    XCTAssertEqual(lookup(t, "ab"), [1])
    XCTAssertEqual(lookup(t, "abc"), [2, 3])
    XCTAssertEqual(lookup(t, "ba"), [])
    XCTAssertNil(lookup(t, "a"))
    XCTAssertNil(lookup(t, "abcd"))
    insert(&t, "x1", [4])
    insert(&t, "x2", [5])  // table was full (4 entries): it restarts empty, then holds x2
    XCTAssertNil(lookup(t, "ab"))
    XCTAssertEqual(lookup(t, "x2"), [5])
  }

  func testFNV1aReferenceValues() {
    // FNV-1a 64 reference vectors: "" and "a".
    XCTAssertEqual([UInt8]().withUnsafeBufferPointer { WordTable.hash($0) }, 0xCBF2_9CE4_8422_2325)
    XCTAssertEqual([UInt8(0x61)].withUnsafeBufferPointer { WordTable.hash($0) }, 0xAF63_DC4C_8601_EC8C)
  }

  func testConcurrentEncodingAgreesWithSerial() throws {
    let t = try makeByteLevelTokenizer(merges: [
      ("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "in"),
    ])
    var rng = SplitMix64(seed: 7)
    let words = ["the", " the", " in", "inn", "thin", "héllo", "你好", "42", " x"]
    let texts = (0..<64).map { _ in
      (0..<30).map { _ in words[Int.random(in: 0..<words.count, using: &rng)] }.joined()
    }
    let serial = try makeByteLevelTokenizer(merges: [
      ("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "in"),
    ])
    let expected = texts.map { serial.encode($0) }
    let results = Results(count: texts.count)
    DispatchQueue.concurrentPerform(iterations: texts.count) { i in results.set(i, t.encode(texts[i])) }
    XCTAssertEqual(results.values, expected)
  }
}

/// Lock-protected result slots for the concurrency test.
final class Results: @unchecked Sendable {
  private(set) var values: [[Int]]
  private let lock = NSLock()
  init(count: Int) { values = Array(repeating: [], count: count) }
  func set(_ i: Int, _ v: [Int]) {
    lock.lock()
    values[i] = v
    lock.unlock()
  }
}
