import Tokenizers

/// A tiny test tokenizer: greedy longest match over `pieces`, falling back to one token per ASCII
/// character (id = character code). Piece k gets id 256 + k; EOS is the last id. With no pieces it is
/// a character tokenizer.
struct S2RTestTokenizer: Tokenizer {
  let pieces: [String]
  var vocabSize: Int { 257 + pieces.count }
  var bosTokenID: Int? { nil }
  var eosTokenID: Int? { 256 + pieces.count }
  var padTokenID: Int? { nil }
  var eos: Int { 256 + pieces.count }

  init(pieces: [String] = []) { self.pieces = pieces }

  func encode(_ text: String, options: EncodeOptions) -> [Int] {
    let bytes = Array(text.utf8)
    var ids: [Int] = []
    var i = 0
    while i < bytes.count {
      var best: (id: Int, len: Int)?
      for (k, p) in pieces.enumerated() {
        let pb = Array(p.utf8)
        if pb.count > (best?.len ?? 0), i + pb.count <= bytes.count, Array(bytes[i..<(i + pb.count)]) == pb {
          best = (256 + k, pb.count)
        }
      }
      if let b = best {
        ids.append(b.id)
        i += b.len
      } else {
        ids.append(Int(bytes[i]))
        i += 1
      }
    }
    return ids
  }

  func decodeBytes(_ ids: [Int], skipSpecial: Bool) -> [UInt8] {
    ids.flatMap { id -> [UInt8] in
      if id < 256 { return [UInt8(id)] }
      if id - 256 < pieces.count { return Array(pieces[id - 256].utf8) }
      return skipSpecial ? [] : Array("<eos>".utf8)
    }
  }

  func specialTokenID(_ text: String) -> Int? { text == "<eos>" ? eos : nil }
  func isSpecial(_ id: Int) -> Bool { id == eos }
}

/// SplitMix64 for seeded tests (library code takes the generator from the caller).
struct S2RTestRNG: RandomNumberGenerator {
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
