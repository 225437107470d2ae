import Foundation

// Character-level tokenizer for synthetic tasks (arithmetic, copy, sorting toys): one id per
// Unicode scalar of a fixed character set, after a block of special tokens. Serialises to a small
// JSON file so a checkpoint directory carries its vocabulary.
//
// Unknown characters: `encode` maps them to `<unk>` (always present, id `unknownTokenID`);
// `encodeStrict` throws `TokenizerError.unknownCharacter` naming the scalar and its offset.

/// A fixed-vocabulary character tokenizer. Ids: specials first (`specialTokens` order), then
/// `characters` in order. Example: specials ["<pad>","<bos>","<eos>","<unk>"], characters "0123"
/// → "<bos>" = 1, "2" = 6; `encode("21")` = [6, 5].
public struct CharTokenizer: Tokenizer, Codable, Equatable {
  public static let defaultSpecialTokens = ["<pad>", "<bos>", "<eos>", "<unk>"]

  /// Special tokens, each a multi-character marker such as "<pad>" or "<sep>".
  public let specialTokens: [String]
  /// The character set, one Unicode scalar per entry.
  public let characters: [Unicode.Scalar]

  private let scalarToID: [UInt32: Int]
  private let specialToID: [String: Int]

  public var vocabSize: Int { specialTokens.count + characters.count }
  public var padTokenID: Int? { specialToID["<pad>"] }
  public var bosTokenID: Int? { specialToID["<bos>"] }
  public var eosTokenID: Int? { specialToID["<eos>"] }
  public var unknownTokenID: Int { specialToID["<unk>"]! }

  /// `characters` is read scalar by scalar; duplicates are an error. "<unk>" is appended to the
  /// specials when missing, so unknown input always has an id.
  public init(characters: String, specialTokens: [String] = CharTokenizer.defaultSpecialTokens) throws {
    var specials = specialTokens
    if !specials.contains("<unk>") { specials.append("<unk>") }
    var special: [String: Int] = [:]
    for (i, s) in specials.enumerated() {
      guard !s.isEmpty, special[s] == nil else { throw TokenizerError.duplicateToken(s) }
      special[s] = i
    }
    var map: [UInt32: Int] = [:]
    for (i, u) in characters.unicodeScalars.enumerated() {
      guard map[u.value] == nil else { throw TokenizerError.duplicateToken(String(u)) }
      map[u.value] = specials.count + i
    }
    self.specialTokens = specials
    self.characters = Array(characters.unicodeScalars)
    self.scalarToID = map
    self.specialToID = special
  }

  // MARK: Tokenizer

  public func encode(_ text: String, options: EncodeOptions) -> [Int] {
    (try? encode(text, options: options, strict: false)) ?? []
  }

  /// Like `encode` but throws on a character outside the set instead of emitting `<unk>`.
  public func encodeStrict(_ text: String, options: EncodeOptions = .plain) throws -> [Int] {
    try encode(text, options: options, strict: true)
  }

  private func encode(_ text: String, options: EncodeOptions, strict: Bool) throws -> [Int] {
    var out: [Int] = []
    if options.addBOS, let bos = bosTokenID { out.append(bos) }
    let scalars = Array(text.unicodeScalars)
    var i = 0
    scan: while i < scalars.count {
      if options.parseSpecial, let (id, length) = longestSpecial(scalars, at: i) {
        out.append(id)
        i += length
        continue scan
      }
      if let id = scalarToID[scalars[i].value] {
        out.append(id)
      } else if strict {
        throw TokenizerError.unknownCharacter(scalar: scalars[i].value, offset: i)
      } else {
        out.append(unknownTokenID)
      }
      i += 1
    }
    return out
  }

  private func longestSpecial(_ scalars: [Unicode.Scalar], at i: Int) -> (Int, Int)? {
    var best: (Int, Int)?
    for (id, s) in specialTokens.enumerated() {
      let u = Array(s.unicodeScalars)
      if u.count <= scalars.count - i, scalars[i..<(i + u.count)].elementsEqual(u), u.count > (best?.1 ?? 0) {
        best = (id, u.count)
      }
    }
    return best
  }

  public func decodeBytes(_ ids: [Int], skipSpecial: Bool) -> [UInt8] {
    var out = String.UnicodeScalarView()
    for id in ids {
      if id >= 0 && id < specialTokens.count {
        if !skipSpecial { out.append(contentsOf: specialTokens[id].unicodeScalars) }
      } else if id >= specialTokens.count && id < vocabSize {
        out.append(characters[id - specialTokens.count])
      } else {
        out.append("\u{FFFD}")
      }
    }
    return Array(String(out).utf8)
  }

  public func specialTokenID(_ text: String) -> Int? { specialToID[text] }
  public func isSpecial(_ id: Int) -> Bool { id >= 0 && id < specialTokens.count }

  // MARK: JSON

  private enum CodingKeys: String, CodingKey { case format, specialTokens, characters }
  static let format = "recheck.char-tokenizer.v1"

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let format = try c.decode(String.self, forKey: .format)
    guard format == Self.format else {
      throw TokenizerError.malformedJSON("char tokenizer format '\(format)', expected '\(Self.format)'")
    }
    // Characters are stored as an array of one-scalar strings so whitespace stays readable.
    let chars = try c.decode([String].self, forKey: .characters)
    for s in chars where s.unicodeScalars.count != 1 {
      throw TokenizerError.malformedJSON("char tokenizer entry '\(s)' is not a single scalar")
    }
    try self.init(
      characters: chars.joined(), specialTokens: try c.decode([String].self, forKey: .specialTokens))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(Self.format, forKey: .format)
    try c.encode(specialTokens, forKey: .specialTokens)
    try c.encode(characters.map { String($0) }, forKey: .characters)
  }

  public static func == (a: CharTokenizer, b: CharTokenizer) -> Bool {
    a.specialTokens == b.specialTokens && a.characters == b.characters
  }

  /// JSON bytes (sorted keys, stable across runs).
  public func jsonData() throws -> Data {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .prettyPrinted]
    return try e.encode(self)
  }

  public init(jsonData: Data) throws {
    do {
      self = try JSONDecoder().decode(CharTokenizer.self, from: jsonData)
    } catch let e as TokenizerError {
      throw e
    } catch {
      throw TokenizerError.malformedJSON("char tokenizer: \(error)")
    }
  }

  public init(contentsOf url: URL) throws { try self.init(jsonData: try Data(contentsOf: url)) }
}
