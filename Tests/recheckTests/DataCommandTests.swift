import Datasets
import Foundation
import Testing

@testable import recheck

/// `recheck data synth`: the file it writes is the generator's problems read back line for line, it
/// replaces an earlier file whole, and no temporary file is left beside it (`AtomicFileWriter`).
struct DataCommandTests {
  @Test func synthWritesTheGeneratedProblemsAndReplacesTheFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("data-synth-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("p.jsonl").path
    try "an older, longer file that must not survive\n".write(toFile: out, atomically: false, encoding: .utf8)

    let command = try DataSynthCommand.parse([
      "--count", "25", "--seed", "9", "--kind", "anchorPick", "--difficulty", "2", "--out", out,
    ])
    try command.run()

    let expected = SyntheticDatasetFile.generate(
      SyntheticDatasetConfig(count: 25, seed: 9, kinds: [.anchorPick], minDifficulty: 2, maxDifficulty: 2))
    #expect(try SyntheticDatasetFile.read(from: out) == expected)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(text.split(separator: "\n").count == 25)
    #expect(text.hasPrefix(#"{"answer":"#) && text.contains(#""id":"synthetic-25""#))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["p.jsonl"])
  }
}
