/// The behaviour-collapse diagnostic of [P] §4, Fig. 3: how much the second attempt differs from
/// the first. Mass near 0 means the model copies its first answer (STaR / Pair-SFT); the base model
/// and SCoRe have broad distributions.
public enum SCoReEditDistance {
  /// Character-level Levenshtein distance (unit-cost insert, delete, substitute). "Character" =
  /// Unicode scalar, the unit Python's `len` and the `editdistance`/`Levenshtein` packages count.
  ///
  /// Example: `levenshtein("kitten", "sitting")` is 3; `levenshtein("café", "cafe")` is 1.
  public static func levenshtein(_ a: String, _ b: String) -> Int {
    levenshtein(Array(a.unicodeScalars.lazy.map(\.value)), Array(b.unicodeScalars.lazy.map(\.value)))
  }

  /// Levenshtein distance of two code sequences. After stripping the common prefix and suffix
  /// (free, and most of the work for near-copies — exactly the collapse case) it runs Hyyrö's
  /// bit-parallel form of Myers' algorithm (Myers 1999; Hyyrö 2003, multi-word blocks): O(⌈m/64⌉·n)
  /// word operations and O(m/64 · σ) memory for the shorter length m and σ distinct codes in it.
  ///
  /// Example: `levenshtein([1, 2, 3], [1, 3])` is 1.
  public static func levenshtein(_ a: [UInt32], _ b: [UInt32]) -> Int {
    var lo = 0
    var hiA = a.count
    var hiB = b.count
    while lo < hiA && lo < hiB && a[lo] == b[lo] { lo += 1 }
    while hiA > lo && hiB > lo && a[hiA - 1] == b[hiB - 1] {
      hiA -= 1
      hiB -= 1
    }
    // The pattern (bit vectors) is the shorter string, the text the longer one.
    let (text, pattern) = hiA - lo >= hiB - lo ? (a[lo..<hiA], b[lo..<hiB]) : (b[lo..<hiB], a[lo..<hiA])
    if pattern.isEmpty { return text.count }
    return bitParallel(text: text, pattern: Array(pattern))
  }

  /// The classic O(n·m) dynamic programme (Wagner & Fischer 1974) over one row of min(n, m) + 1
  /// cells; the reference the bit-parallel path is tested and benchmarked against.
  ///
  /// Example: `levenshteinDP([1, 2, 3], [1, 3])` is 1.
  public static func levenshteinDP(_ a: [UInt32], _ b: [UInt32]) -> Int {
    let (long, short) = a.count >= b.count ? (a, b) : (b, a)
    let m = short.count
    if m == 0 { return long.count }
    var row = [Int](0...m)
    row.withUnsafeMutableBufferPointer { r in
      short.withUnsafeBufferPointer { s in
        var i = 0
        for c in long {
          i += 1
          var diagonal = r[0]  // D[i−1][j−1]
          var left = i  // D[i][j−1]
          r[0] = i
          for j in 1...m {
            let up = r[j]  // D[i−1][j]
            let value = min(diagonal + (s[j - 1] == c ? 0 : 1), min(up, left) + 1)
            r[j] = value
            diagonal = up
            left = value
          }
        }
      }
    }
    return row[m]
  }

  /// Myers/Hyyrö: column j of the DP matrix is kept as vertical +1/−1 delta bit vectors VP/VN over
  /// the pattern (m rows, 64 per word); each text character updates them with a few word operations,
  /// carrying the addition carry and the horizontal deltas shifted out of each word into the next.
  /// The score tracks D[m][j], starting at D[m][0] = m.
  static func bitParallel(text: ArraySlice<UInt32>, pattern: [UInt32]) -> Int {
    let m = pattern.count
    let words = (m + 63) / 64
    // Match masks: row 0 of `masks` is all zeros (codes absent from the pattern); ASCII codes are
    // looked up in a table, others in a dictionary.
    var slot: [UInt32: Int] = [:]
    var asciiSlot = [Int](repeating: 0, count: 128)
    var masks = [UInt64](repeating: 0, count: words)
    for (i, code) in pattern.enumerated() {
      var s = code < 128 ? asciiSlot[Int(code)] : (slot[code] ?? 0)
      if s == 0 {
        s = masks.count / words
        masks.append(contentsOf: repeatElement(0, count: words))
        if code < 128 { asciiSlot[Int(code)] = s } else { slot[code] = s }
      }
      masks[s * words + i / 64] |= 1 << UInt64(i % 64)
    }
    var vp = [UInt64](repeating: ~0, count: words)
    var vn = [UInt64](repeating: 0, count: words)
    let lastBit: UInt64 = 1 << UInt64((m - 1) % 64)
    var score = m
    masks.withUnsafeBufferPointer { pm in
      vp.withUnsafeMutableBufferPointer { vp in
        vn.withUnsafeMutableBufferPointer { vn in
          for c in text {
            let base = (c < 128 ? asciiSlot[Int(c)] : (slot[c] ?? 0)) * words
            var hpCarry: UInt64 = 1  // D[0][j] − D[0][j−1] = +1 (global distance)
            var hnCarry: UInt64 = 0
            var addCarry: UInt64 = 0
            for w in 0..<words {
              let x = pm[base + w] | vn[w]
              let v = vp[w]
              let (s1, o1) = (x & v).addingReportingOverflow(v)
              let (s2, o2) = s1.addingReportingOverflow(addCarry)
              addCarry = (o1 || o2) ? 1 : 0
              let d0 = (s2 ^ v) | x
              var hp = vn[w] | ~(d0 | v)
              var hn = v & d0
              if w == words - 1 {
                if hp & lastBit != 0 { score += 1 }
                if hn & lastBit != 0 { score -= 1 }
              }
              let hpOut = hp >> 63
              let hnOut = hn >> 63
              hp = (hp << 1) | hpCarry
              hn = (hn << 1) | hnCarry
              hpCarry = hpOut
              hnCarry = hnOut
              vp[w] = hn | ~(d0 | hp)
              vn[w] = hp & d0
            }
          }
        }
      }
    }
    return score
  }

  /// editDistance(y1, y2) / (len(y1) + len(y2)), in [0, 1]; 0 when both are empty.
  ///
  /// Example: `ratio("kitten", "sitting")` is 3 / 13 = 0.2308; a copy gives 0; two strings with no
  /// common character, of lengths 2 and 2, give 2 / 4 = 0.5.
  public static func ratio(_ y1: String, _ y2: String) -> Double {
    let a = Array(y1.unicodeScalars.lazy.map(\.value))
    let b = Array(y2.unicodeScalars.lazy.map(\.value))
    let total = a.count + b.count
    return total == 0 ? 0 : Double(levenshtein(a, b)) / Double(total)
  }

  /// Counts of `ratios` in `bins` equal-width bins over [0, 1]; bin i holds [i/bins, (i+1)/bins),
  /// the last bin also 1. Values outside [0, 1] go to the nearest end bin; NaNs are skipped.
  ///
  /// Example: `histogram([0, 0.05, 0.5, 1], bins: 4)` is `[2, 0, 1, 1]`.
  public static func histogram(_ ratios: [Double], bins: Int = 10) -> [Int] {
    let n = max(bins, 1)
    var counts = [Int](repeating: 0, count: n)
    for v in ratios where !v.isNaN {
      let i = Int((min(max(v, 0), 1) * Double(n)).rounded(.down))
      counts[min(i, n - 1)] += 1
    }
    return counts
  }

  /// Ratio of y1 to y2 for every episode that has two attempts.
  public static func ratios(firstAttempts: [String], secondAttempts: [String]) -> [Double] {
    zip(firstAttempts, secondAttempts).map { ratio($0, $1) }
  }
}
