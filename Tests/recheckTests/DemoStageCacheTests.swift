import Foundation
import Models
import TensorCore
import Testing

@testable import recheck

/// The demo's stage cache: fingerprints against an independent FNV-1a (Python, see each test), and
/// reuse only of stages whose fingerprint matches and whose model loads.
struct DemoStageCacheTests {
  // Reference values: Python
  //   def f(b): h = 0xcbf29ce484222325; [h := ((h ^ x) * 0x100000001b3) % 2**64 for x in b]; hex(h)
  // over b'{"a":1}|', b'{"a":1}|up1|' and b'{"a":2}|'.
  @Test func fingerprintMatchesAnIndependentFNV1a() {
    #expect(DemoStageCache.fingerprint(of: ["a": 1], after: []) == "49212b44f5c99457")
    #expect(DemoStageCache.fingerprint(of: ["a": 1], after: ["up1"]) == "427ebc1e090ce0af")
    #expect(DemoStageCache.fingerprint(of: ["a": 2], after: []) == "41d20444f2079012")
  }

  @Test func fingerprintIgnoresKeyOrderButNotValues() {
    struct AB: Encodable {
      var a = 1
      var b = 2
    }
    struct BA: Encodable {
      var b = 2
      var a = 1
    }
    #expect(
      DemoStageCache.fingerprint(of: AB(), after: []) == DemoStageCache.fingerprint(of: BA(), after: []))
    #expect(
      DemoStageCache.fingerprint(of: AB(), after: []) != DemoStageCache.fingerprint(of: AB(b: 3), after: []))
  }

  @Test func reusesOnlyAMarkedStageWithTheSameFingerprint() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagecache-\(UUID())")
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = DemoStageCache(dir: dir)
    var rng = SeededRNG(seed: 3)
    let model = Transformer(config: try ModelConfig.preset(.tiny, vocabSize: 20), rng: &rng)
    #expect(cache.finished("s", fingerprint: "f1") == nil)  // nothing there
    try model.save(to: dir.appendingPathComponent("s/model"))
    #expect(cache.finished("s", fingerprint: "f1") == nil)  // saved but not marked (crash in between)
    try cache.markFinished("s", fingerprint: "f1")
    let loaded = try #require(cache.finished("s", fingerprint: "f1"))
    #expect(cache.finished("s", fingerprint: "f2") == nil)  // config changed
    let a = model.namedParameters().map { $0.1.toDoubleArray() }
    let b = loaded.namedParameters().map { $0.1.toDoubleArray() }
    #expect(a == b)
  }
}
