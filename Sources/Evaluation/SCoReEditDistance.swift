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

  /// Levenshtein distance of two code sequences: the classic O(n·m) dynamic programme (Wagner &
  /// Fischer 1974) over one row of length min(n, m) + 1, after stripping the common prefix and
  /// suffix (free, and most of the work for near-copies — exactly the collapse case).
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
    // Rows run over the longer string, the kept row over the shorter one.
    let (long, short) = hiA - lo >= hiB - lo ? (a[lo..<hiA], b[lo..<hiB]) : (b[lo..<hiB], a[lo..<hiA])
    let m = short.count
    if m == 0 { return long.count }
    let shortCodes = Array(short)
    var row = [Int](0...m)
    row.withUnsafeMutableBufferPointer { r in
      shortCodes.withUnsafeBufferPointer { s in
        var i = 0
        for c in long {
          i += 1
          var diagonal = r[0]  // D[i−1][j−1]
          var left = i  // D[i][j−1]
          r[0] = i
          for j in 1...m {
            let up = r[j]  // D[i−1][j]
            let substitute = diagonal + (s[j - 1] == c ? 0 : 1)
            let value = min(substitute, min(up, left) + 1)
            r[j] = value
            diagonal = up
            left = value
          }
        }
      }
    }
    return row[m]
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
