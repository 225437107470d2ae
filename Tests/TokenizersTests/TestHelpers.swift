import Foundation
import XCTest

@testable import Tokenizers

/// SplitMix64: the tests' seeded generator (no global RNG).
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A byte-level vocabulary: the 256 byte tokens in byte order, then the merge results, then
/// `specials` (as control tokens).
func makeByteLevelTokenizer(
  merges: [(String, String)], specials: [String] = [], pre: PreTokenizer = .gpt2
) throws -> BPETokenizer {
  var tokens = (0..<256).map { String(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0])!) }
  for (a, b) in merges where !tokens.contains(a + b) { tokens.append(a + b) }
  var kinds = [TokenKind](repeating: .normal, count: tokens.count)
  for s in specials {
    tokens.append(s)
    kinds.append(.control)
  }
  return try BPETokenizer(
    BPETokenizer.Configuration(tokens: tokens, kinds: kinds, merges: merges, preTokenizer: pre))
}

/// Repository root, from this file's path (Tests/TokenizersTests/…).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
