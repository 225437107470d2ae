import CRecheckHeap
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// The `recheck` executable's start-up heap settings (Sources/CRecheckHeap/HeapPolicy.c) are in
/// force in this test process too (it links the executable's targets, constructor included): a freed
/// 256 MB block is handed out again without page faults. With glibc's defaults such a block is mmap'd
/// (above the dynamic threshold's 32 MB ceiling, and larger than the ≤ 64 MB free top the default trim
/// threshold leaves — a smaller block can be served from there, which is why 256 MB) and unmapped when
/// freed, so every one of its pages faults again on the next first touch — the cost the settings
/// remove from training steps. With them the test process keeps those 256 MB (never trimmed).
/// XCTest (one test at a time), and faults counted for this thread only.
final class HeapPolicyTests: XCTestCase {
  static let bytes = 256 << 20
  static let page = 4096

  /// Minor page faults this thread takes while `body` runs.
  static func faults(_ body: () -> Void) -> Int {
    #if canImport(Glibc)
      var before = rusage()
      var after = rusage()
      let thisThread = __rusage_who_t(1)  // RUSAGE_THREAD (Linux); Glibc exports it only with _GNU_SOURCE
      getrusage(thisThread, &before)
      body()
      getrusage(thisThread, &after)
      return after.ru_minflt - before.ru_minflt
    #else
      body()
      return 0
    #endif
  }

  /// Where `touch` leaves each block's address: a block that escapes cannot be optimised away (an
  /// optimiser may drop a malloc / write / free whose writes nobody reads — and with it the faults).
  nonisolated(unsafe) static var escaped: UnsafeMutableRawPointer?

  /// Writes one byte into every page of the block.
  static func touch(_ p: UnsafeMutableRawPointer) {
    escaped = p
    for offset in stride(from: 0, to: bytes, by: page) {
      p.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self)
    }
  }

  /// Faults of the second of two malloc / touch / free rounds (the first may grow the heap).
  static func faultsOfReuse() -> Int {
    let first = malloc(bytes)!
    touch(first)
    free(first)
    return faults {
      let p = malloc(bytes)!
      touch(p)
      free(p)
    }
  }

  func testSettingsAppliedAtStartUp() throws {
    #if !canImport(Glibc)
      throw XCTSkip("the settings are glibc's")
    #endif
    XCTAssertEqual(rc_heap_policy_applied(), 1)
  }

  func testFreedBlockIsReusedWithoutPageFaults() throws {
    #if canImport(Glibc)
      let pages = Self.bytes / Self.page
      // The counter sees faults: a fresh anonymous mapping faults once per page.
      let mapped = Self.faults {
        let p = mmap(nil, Self.bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        Self.touch(p)
        munmap(p, Self.bytes)
      }
      XCTAssertGreaterThan(mapped, pages * 9 / 10)
      XCTAssertLessThan(Self.faultsOfReuse(), pages / 20, "a freed 256 MB block went back to the kernel")
      // On a fresh thread, as the demo's stages run: glibc's defaults give it an arena of its own,
      // where blocks of this size are mmap'd and unmapped again; the settings keep it on one arena.
      nonisolated(unsafe) var onThread = -1
      let done = DispatchSemaphore(value: 0)
      Thread {
        onThread = Self.faultsOfReuse()
        done.signal()
      }.start()
      done.wait()
      XCTAssertGreaterThanOrEqual(onThread, 0)
      XCTAssertLessThan(onThread, pages / 20, "on a new thread, a freed 256 MB block went back to the kernel")
    #else
      throw XCTSkip("the settings are glibc's")
    #endif
  }
}
