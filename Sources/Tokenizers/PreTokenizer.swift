// Pre-tokenizers: the regex split applied before BPE, written as hand scanners (exact and fast; no
// regex engine). Each case names the regex it implements; the semantics (including lookahead that
// stops at a piece boundary) follow llama.cpp's `unicode_regex_split` and HF tokenizers' Split
// with behaviour "Isolated", which agree on these patterns.

/// Which pre-tokenizer regex a byte-level BPE model uses.
public enum PreTokenizer: String, Codable, Sendable, CaseIterable {
  /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
  case gpt2
  /// `\p{N}` split first (every digit its own piece), then GPT-2 inside each piece. HF:
  /// `Sequence[Digits(individual_digits: true), ByteLevel]`. SmolLM/SmolLM2 and StarCoder use it
  /// (llama.cpp `tokenizer.ggml.pre` = "smollm", "starcoder", "refact", …).
  case gpt2IndividualDigits
  /// Llama-3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
  /// ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
  case llama3
  /// Qwen2: as Llama-3 with `\p{N}` (single digits) instead of `\p{N}{1,3}`.
  case qwen2

  /// The pre-tokenizer for a GGUF `tokenizer.ggml.pre` value (llama.cpp's names), or nil.
  public init?(ggmlPre name: String) {
    switch name {
    case "gpt-2", "phi-2", "roberta-bpe", "mpt", "olmo", "jais", "jina-es", "jina-de", "jina-v1-en",
      "jina-v2-es", "jina-v2-de", "jina-v2-code", "gigachat":
      self = .gpt2
    case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b":
      self = .gpt2IndividualDigits
    case "llama3", "llama-v3", "llama-bpe", "falcon3", "dbrx", "smaug-bpe", "chatglm-bpe":
      self = .llama3
    case "qwen2", "stablelm2", "megrez":
      self = .qwen2
    default:
      return nil
    }
  }

  /// The Split regex string of a HF tokenizer.json for this pre-tokenizer, used to recognise it.
  static let llama3Regex =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
  static let qwen2Regex =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
  static let gpt2Regex = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)"

  /// Splits `text` into pieces; concatenating them gives `text` back.
  /// Example (`.gpt2`): `"I'm  here 123!"` → `["I", "'m", " ", " here", " 123", "!"]`.
  public func split(_ text: String) -> [String] {
    let scalars = text.unicodeScalars.map(\.value)
    var ends: [Int] = []
    split(scalars, into: &ends)
    var pieces: [String] = []
    var start = 0
    for end in ends {
      var view = String.UnicodeScalarView()
      for v in scalars[start..<end] { view.append(Unicode.Scalar(v)!) }
      pieces.append(String(view))
      start = end
    }
    return pieces
  }

  /// Appends the end index (in scalars, exclusive) of every piece of `scalars` to `ends`.
  func split(_ scalars: [UInt32], into ends: inout [Int]) {
    var classes: [ScalarClass] = []
    split(scalars, classes: &classes, into: &ends)
  }

  /// As `split(_:into:)`, reusing `classes` as scratch space.
  func split(_ scalars: [UInt32], classes: inout [ScalarClass], into ends: inout [Int]) {
    ScalarClass.classify(scalars, into: &classes)
    scalars.withUnsafeBufferPointer { cp in
      classes.withUnsafeBufferPointer { cls in
        switch self {
        case .gpt2:
          PreTokenizer.scanGPT2(cp, cls, 0, cp.count, &ends)
        case .gpt2IndividualDigits:
          var runStart = 0
          for i in 0..<cp.count where cls[i].contains(.number) {
            PreTokenizer.scanGPT2(cp, cls, runStart, i, &ends)
            ends.append(i + 1)
            runStart = i + 1
          }
          PreTokenizer.scanGPT2(cp, cls, runStart, cp.count, &ends)
        case .llama3:
          PreTokenizer.scanLlama3(cp, cls, 0, cp.count, maxDigits: 3, &ends)
        case .qwen2:
          PreTokenizer.scanLlama3(cp, cls, 0, cp.count, maxDigits: 1, &ends)
        }
      }
    }
  }

  private typealias Scalars = UnsafeBufferPointer<UInt32>
  private typealias Classes = UnsafeBufferPointer<ScalarClass>

  /// Length (2 or 3) of a contraction `'s 't 'm 'd 're 've 'll` starting at `pos`, or 0.
  /// `foldCase` gives Llama-3's `(?i:…)` (ASCII letters only; the suffixes are ASCII).
  @inline(__always)
  private static func contractionLength(_ cp: Scalars, _ pos: Int, _ hi: Int, foldCase: Bool) -> Int {
    guard cp[pos] == 0x27, pos + 1 < hi else { return 0 }
    func lower(_ v: UInt32) -> UInt32 { foldCase && (0x41...0x5A).contains(v) ? v | 0x20 : v }
    let a = lower(cp[pos + 1])
    if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 { return 2 }  // s t m d
    guard pos + 2 < hi else { return 0 }
    let b = lower(cp[pos + 2])
    // re ve ll
    if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) { return 3 }
    return 0
  }

  /// GPT-2 pattern over `[lo, hi)`.
  private static func scanGPT2(_ cp: Scalars, _ cls: Classes, _ lo: Int, _ hi: Int, _ ends: inout [Int]) {
    var pos = lo
    while pos < hi {
      let c = contractionLength(cp, pos, hi, foldCase: false)
      if c > 0 {
        pos += c
        ends.append(pos)
        continue
      }
      // ` ?X+` alternatives: an optional single space, then a run of letters, numbers or "other".
      let lead = (cp[pos] == 0x20 && pos + 1 < hi) ? pos + 1 : pos
      let k = cls[lead]
      if !k.contains(.whitespace) {
        var j = lead + 1
        while j < hi && cls[j] == k { j += 1 }
        pos = j
        ends.append(pos)
        continue
      }
      // `\s+(?!\S)|\s+`: a whitespace run leaves its last character to prefix the next word.
      var j = pos
      while j < hi && cls[j].contains(.whitespace) { j += 1 }
      pos = (j - pos > 1 && j < hi) ? j - 1 : j
      ends.append(pos)
    }
  }

  /// Llama-3 / Qwen2 pattern over `[lo, hi)`; `maxDigits` is 3 for `\p{N}{1,3}`, 1 for `\p{N}`.
  private static func scanLlama3(
    _ cp: Scalars, _ cls: Classes, _ lo: Int, _ hi: Int, maxDigits: Int, _ ends: inout [Int]
  ) {
    var pos = lo
    while pos < hi {
      let c = contractionLength(cp, pos, hi, foldCase: true)
      if c > 0 {
        pos += c
        ends.append(pos)
        continue
      }
      let v = cp[pos]
      let k = cls[pos]
      let isNewline = v == 0x0A || v == 0x0D
      // `[^\r\n\p{L}\p{N}]?\p{L}+`
      if !isNewline && !k.contains(.number)
        && (k.contains(.letter) || (pos + 1 < hi && cls[pos + 1].contains(.letter)))
      {
        var j = pos + 1
        while j < hi && cls[j].contains(.letter) { j += 1 }
        pos = j
        ends.append(pos)
        continue
      }
      // `\p{N}{1,maxDigits}`
      if k.contains(.number) {
        var j = pos + 1
        while j < hi && j - pos < maxDigits && cls[j].contains(.number) { j += 1 }
        pos = j
        ends.append(pos)
        continue
      }
      // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
      let lead = (v == 0x20 && pos + 1 < hi) ? pos + 1 : pos
      if cls[lead].isEmpty {
        var j = lead + 1
        while j < hi && cls[j].isEmpty { j += 1 }
        while j < hi && (cp[j] == 0x0A || cp[j] == 0x0D) { j += 1 }
        pos = j
        ends.append(pos)
        continue
      }
      // `\s*[\r\n]+` (ends after the run's last newline), else `\s+(?!\S)|\s+`.
      var j = pos
      var afterNewline = -1
      while j < hi && cls[j].contains(.whitespace) {
        if cp[j] == 0x0A || cp[j] == 0x0D { afterNewline = j + 1 }
        j += 1
      }
      if afterNewline > 0 {
        pos = afterNewline
      } else if j == pos {
        pos += 1  // unreachable with these classes; keeps the scanner total
      } else {
        pos = (j - pos > 1 && j < hi) ? j - 1 : j
      }
      ends.append(pos)
    }
  }
}
