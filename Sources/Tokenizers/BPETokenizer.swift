// Byte-level BPE tokenizer (GPT-2 family: SmolLM2, Qwen2, Llama-3). Pipeline per `encode`:
//   1. added/special tokens are cut out of the raw text (AddedTokenMatcher),
//   2. each remaining fragment is split by the model's pre-tokenizer regex (PreTokenizer),
//   3. each piece's bytes start as one symbol per byte (ByteLevelAlphabet) and are merged by rank
//      (BPEMerges), memoised per piece (WordCache).
// Decoding concatenates each token's bytes. Build one from a HF tokenizer.json
// (`init(tokenizerJSON:)`) or from GGUF metadata (`init(gguf:)`).

import Foundation

/// A byte-level BPE tokenizer. Immutable and thread-safe (the word cache is locked).
public final class BPETokenizer: Tokenizer {
  public let preTokenizer: PreTokenizer
  /// HF ByteLevel `add_prefix_space`: a space is prepended to each fragment not starting with one.
  public let addPrefixSpace: Bool
  /// Llama-3's `ignore_merges`: a piece that is itself a vocabulary entry is emitted whole.
  public let ignoreMerges: Bool
  public let bosTokenID: Int?
  public let eosTokenID: Int?
  public let padTokenID: Int?
  public let unknownTokenID: Int?
  /// Whether the model asks for BOS on every sequence (GGUF `tokenizer.ggml.add_bos_token`).
  public let addBOSByDefault: Bool
  /// Apply Unicode NFC to text fragments before splitting (HF `normalizer: NFC`, e.g. Qwen2).
  public let normalizeNFC: Bool

  let tokens: [String]
  let kinds: [TokenKind]
  let tokenToID: [String: Int32]
  /// Bytes of every id; ids from `tokens.count` on are merge results missing from the vocabulary,
  /// expanded back to byte tokens on output.
  let bytesOf: [[UInt8]]
  let byteID: [Int32]
  let merges: BPEMerges
  /// The merge rules as strings, in rank order (kept to write the tokenizer back out as a Hugging
  /// Face tokenizer.json, `huggingFaceJSON()`).
  let mergePairs: [(String, String)]
  /// lstrip/rstrip of added tokens (written back out with them).
  let addedStrip: [Int: (lstrip: Bool, rstrip: Bool)]
  let added: AddedTokenMatcher
  let cache = WordCache()

  public var vocabSize: Int { tokens.count }
  public var mergeCount: Int { merges.count }

  /// Everything a byte-level BPE needs, as plain values.
  struct Configuration {
    var tokens: [String]
    var kinds: [TokenKind]
    var merges: [(String, String)]
    var preTokenizer: PreTokenizer
    var addPrefixSpace = false
    var ignoreMerges = false
    var bos: Int?
    var eos: Int?
    var pad: Int?
    var unk: Int?
    var addBOS = false
    var normalizeNFC = false
    var strip: [Int: (lstrip: Bool, rstrip: Bool)] = [:]
  }

  init(_ c: Configuration) throws {
    precondition(c.tokens.count == c.kinds.count)
    for id in [c.bos, c.eos, c.pad, c.unk] {
      if let id, !(0..<c.tokens.count).contains(id) { throw TokenizerError.idOutOfRange(id) }
    }
    tokens = c.tokens
    kinds = c.kinds
    preTokenizer = c.preTokenizer
    addPrefixSpace = c.addPrefixSpace
    ignoreMerges = c.ignoreMerges
    bosTokenID = c.bos
    eosTokenID = c.eos
    padTokenID = c.pad
    unknownTokenID = c.unk
    addBOSByDefault = c.addBOS
    normalizeNFC = c.normalizeNFC
    mergePairs = c.merges
    addedStrip = c.strip

    var toID: [String: Int32] = [:]
    toID.reserveCapacity(c.tokens.count)
    var bytes: [[UInt8]] = []
    bytes.reserveCapacity(c.tokens.count)
    var matcher = AddedTokenMatcher()
    for (i, t) in c.tokens.enumerated() {
      toID[t] = Int32(i)  // a repeated string maps to its last id, as in llama.cpp
      let kind = c.kinds[i]
      if kind.isAdded {
        bytes.append(Array(t.utf8))
        let s = c.strip[i]
        matcher.insert(
          t,
          .init(id: Int32(i), special: kind.isSpecial, lstrip: s?.lstrip ?? false, rstrip: s?.rstrip ?? false)
        )
      } else {
        bytes.append(ByteLevelAlphabet.decode(t) ?? Array(t.utf8))
      }
    }
    byteID = (0..<256).map { b in
      let t = String(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[b])!)
      guard let id = toID[t], !c.kinds[Int(id)].isAdded else { return -1 }
      return id
    }

    var table = BPEMerges()
    var synthetic: [String: Int32] = [:]
    for (rank, (a, b)) in c.merges.enumerated() {
      guard let l = toID[a] ?? synthetic[a], let r = toID[b] ?? synthetic[b] else {
        throw TokenizerError.invalidMerge(index: rank, text: a + " " + b)
      }
      let joined = a + b
      var m = toID[joined] ?? synthetic[joined]
      if m == nil {
        m = Int32(bytes.count)
        synthetic[joined] = m
        bytes.append(ByteLevelAlphabet.decode(joined) ?? Array(joined.utf8))
      }
      table.add(left: l, right: r, rank: rank, merged: m!)
    }
    tokenToID = toID
    bytesOf = bytes
    merges = table
    added = matcher
  }

  // MARK: - Lookup

  /// The vocabulary string of `id` (byte-level alphabet for normal tokens), or nil.
  public func token(_ id: Int) -> String? { tokens.indices.contains(id) ? tokens[id] : nil }
  /// The id of a vocabulary string, or nil.
  public func id(of token: String) -> Int? { tokenToID[token].map(Int.init) }
  public func kind(of id: Int) -> TokenKind? { kinds.indices.contains(id) ? kinds[id] : nil }

  public func specialTokenID(_ text: String) -> Int? {
    guard let id = tokenToID[text], kinds[Int(id)].isAdded else { return nil }
    return Int(id)
  }

  public func isSpecial(_ id: Int) -> Bool { kinds.indices.contains(id) && kinds[id].isSpecial }

  // MARK: - Encoding

  public func encode(_ text: String, options: EncodeOptions) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(text.utf8.count / 3 + 2)
    if options.addBOS, let bos = bosTokenID { out.append(bos) }
    var text = text
    var scratch = Scratch()
    text.withUTF8 { buf in
      var cursor = 0
      for m in added.matches(in: buf, parseSpecial: options.parseSpecial) {
        encodeFragment(buf, cursor, m.start, &scratch, &out)
        out.append(Int(m.entry.id))
        cursor = m.end
      }
      encodeFragment(buf, cursor, buf.count, &scratch, &out)
    }
    return out
  }

  /// Buffers reused across the fragments of one `encode` call.
  private struct Scratch {
    var scalars: [UInt32] = []
    var offsets: [Int] = []
    var classes: [ScalarClass] = []
    var ends: [Int] = []
    var hashes: [UInt64] = []
    var found: [Int32] = []  // ids of the fragment's pieces, in order
    var pieceEnd: [Int] = []  // end of each piece's ids in `found`; -1 marks a cache miss
  }

  /// Pre-tokenizes and merges the UTF-8 bytes `[lo, hi)` (a fragment between added tokens).
  private func encodeFragment(
    _ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, _ scratch: inout Scratch, _ out: inout [Int]
  ) {
    guard lo < hi else { return }
    var bytes = Array(buf[lo..<hi])
    if normalizeNFC {
      bytes = Array(String(decoding: bytes, as: UTF8.self).precomposedStringWithCanonicalMapping.utf8)
    }
    if addPrefixSpace && bytes[0] != 0x20 { bytes.insert(0x20, at: 0) }
    UTF8Decoding.decode(bytes, scalars: &scratch.scalars, offsets: &scratch.offsets)
    scratch.ends.removeAll(keepingCapacity: true)
    preTokenizer.split(scratch.scalars, classes: &scratch.classes, into: &scratch.ends)
    bytes.withUnsafeBufferPointer { b in
      let offsets = scratch.offsets
      func piece(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let from = offsets[i == 0 ? 0 : scratch.ends[i - 1]]
        return UnsafeBufferPointer(rebasing: b[from..<offsets[scratch.ends[i]]])
      }
      let n = scratch.ends.count
      scratch.hashes.removeAll(keepingCapacity: true)
      for i in 0..<n { scratch.hashes.append(piece(i).count > 1 ? WordTable.hash(piece(i)) : 0) }
      // One locked pass for all lookups; misses are merged outside the lock.
      scratch.found.removeAll(keepingCapacity: true)
      scratch.pieceEnd.removeAll(keepingCapacity: true)
      var misses = 0
      cache.withLock { t in
        for i in 0..<n {
          let w = piece(i)
          if w.count == 1 {
            scratch.found.append(byteID[Int(w[0])])
          } else if let r = t.lookup(w, hash: scratch.hashes[i]) {
            scratch.found.append(contentsOf: t.values[r])
          } else {
            scratch.pieceEnd.append(-1)
            misses += 1
            continue
          }
          scratch.pieceEnd.append(scratch.found.count)
        }
      }
      if misses == 0 {
        for id in scratch.found { emit(id, &out) }
        return
      }
      var computed: [(Int, [Int32])] = []
      var start = 0
      for i in 0..<n {
        let e = scratch.pieceEnd[i]
        if e < 0 {
          let ids = mergeWord(piece(i))
          computed.append((i, ids))
          for id in ids { emit(id, &out) }
        } else {
          for id in scratch.found[start..<e] { emit(id, &out) }
          start = e
        }
      }
      cache.withLock { t in
        for (i, ids) in computed { t.insert(piece(i), hash: scratch.hashes[i], ids: ids[...]) }
      }
    }
  }

  /// BPE of one piece (two or more bytes), uncached.
  private func mergeWord(_ w: UnsafeBufferPointer<UInt8>) -> [Int32] {
    if ignoreMerges, let whole = tokenToID[ByteLevelAlphabet.encode(w)], !kinds[Int(whole)].isAdded {
      return [whole]
    }
    return merges.apply(w.map { byteID[Int($0)] })
  }

  /// Appends `id`, expanding merge results missing from the vocabulary to byte tokens and mapping
  /// bytes missing from the vocabulary to the unknown id (or dropping them when there is none, as
  /// llama.cpp does).
  @inline(__always)
  private func emit(_ id: Int32, _ out: inout [Int]) {
    if id >= 0 && Int(id) < tokens.count {
      out.append(Int(id))
    } else if id >= 0 {
      for b in bytesOf[Int(id)] { emit(byteID[Int(b)], &out) }
    } else if let unk = unknownTokenID {
      out.append(unk)
    }
  }

  // MARK: - Decoding

  public func decodeBytes(_ ids: [Int], skipSpecial: Bool) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(ids.count * 4)
    for id in ids {
      guard id >= 0 && id < tokens.count else {
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
        continue
      }
      if skipSpecial && kinds[id].isSpecial { continue }
      out.append(contentsOf: bytesOf[id])
    }
    return out
  }
}
