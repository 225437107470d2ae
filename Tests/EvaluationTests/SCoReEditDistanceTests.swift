import XCTest

@testable import Evaluation

/// Full-matrix Levenshtein, the textbook recurrence, as an independent reference.
func referenceLevenshtein(_ a: [UInt32], _ b: [UInt32]) -> Int {
  var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
  for i in 0...a.count { d[i][0] = i }
  for j in 0...b.count { d[0][j] = j }
  if a.isEmpty || b.isEmpty { return d[a.count][b.count] }
  for i in 1...a.count {
    for j in 1...b.count {
      d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
  }
  return d[a.count][b.count]
}

final class SCoReEditDistanceTests: XCTestCase {
  func testHandExamples() {
    XCTAssertEqual(SCoReEditDistance.levenshtein("kitten", "sitting"), 3)
    XCTAssertEqual(SCoReEditDistance.levenshtein("flaw", "lawn"), 2)
    XCTAssertEqual(SCoReEditDistance.levenshtein("", "abc"), 3)
    XCTAssertEqual(SCoReEditDistance.levenshtein("abc", ""), 3)
    XCTAssertEqual(SCoReEditDistance.levenshtein("same", "same"), 0)
    XCTAssertEqual(SCoReEditDistance.levenshtein("café", "cafe"), 1)
    XCTAssertEqual(SCoReEditDistance.levenshtein("e\u{301}", "é"), 2)  // two scalars vs one
    XCTAssertEqual(SCoReEditDistance.levenshtein([1, 2, 3], [1, 3]), 1)
  }

  func testRatio() {
    XCTAssertEqual(SCoReEditDistance.ratio("kitten", "sitting"), 3.0 / 13, accuracy: 1e-12)
    XCTAssertEqual(SCoReEditDistance.ratio("", ""), 0)
    XCTAssertEqual(SCoReEditDistance.ratio("ab", "cd"), 0.5)
    XCTAssertEqual(SCoReEditDistance.ratio("", "xyz"), 1)
    XCTAssertEqual(
      SCoReEditDistance.ratios(firstAttempts: ["a", "ab"], secondAttempts: ["a", "b"]), [0, 1.0 / 3])
  }

  func testAgainstReferenceOnRandomStrings() {
    var rng = TestRNG(state: 9)
    for trial in 0..<600 {
      // Short strings, and strings of 60–200 codes that need several 64-bit words.
      let maxLength = trial % 2 == 0 ? 25 : 200
      let alphabet: UInt32 = trial % 3 == 0 ? 300 : 4  // codes ≥ 128 take the dictionary path
      let a = (0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in
        UInt32.random(in: 0..<alphabet, using: &rng)
      }
      var b = a
      // Mutate a copy so that prefixes/suffixes are often shared, plus unrelated strings.
      if Bool.random(using: &rng) {
        b = (0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in
          UInt32.random(in: 0..<alphabet, using: &rng)
        }
      } else {
        for _ in 0..<Int.random(in: 0...6, using: &rng) where !b.isEmpty {
          b[Int.random(in: 0..<b.count, using: &rng)] = UInt32.random(in: 0..<alphabet, using: &rng)
        }
        if Bool.random(using: &rng) { b.insert(7, at: Int.random(in: 0...b.count, using: &rng)) }
      }
      XCTAssertEqual(SCoReEditDistance.levenshtein(a, b), referenceLevenshtein(a, b), "\(a) \(b)")
      XCTAssertEqual(SCoReEditDistance.levenshtein(b, a), referenceLevenshtein(a, b))
      XCTAssertEqual(SCoReEditDistance.levenshteinDP(a, b), referenceLevenshtein(a, b))
      // Without the prefix/suffix strip the bit-parallel core must agree too.
      if !a.isEmpty && !b.isEmpty {
        let (t, p) = a.count >= b.count ? (a, b) : (b, a)
        XCTAssertEqual(SCoReEditDistance.bitParallel(text: t[...], pattern: p), referenceLevenshtein(a, b))
      }
    }
  }

  func testHistogram() {
    XCTAssertEqual(SCoReEditDistance.histogram([0, 0.05, 0.5, 1], bins: 4), [2, 0, 1, 1])
    XCTAssertEqual(
      SCoReEditDistance.histogram([-1, 2, .nan, 0.1], bins: 10), [1, 1, 0, 0, 0, 0, 0, 0, 0, 1])
  }

  func testSpeedOnLongStrings() {
    // Two unrelated 4000-character solutions: 16 M DP cells. Printed next to the row DP; bound loose.
    var rng = TestRNG(state: 10)
    let a = String((0..<4000).map { _ in Character(UnicodeScalar(UInt8.random(in: 97...122, using: &rng))) })
    let b = String((0..<4000).map { _ in Character(UnicodeScalar(UInt8.random(in: 97...122, using: &rng))) })
    func time(_ f: () -> Int) -> (Int, Double) {
      let start = DispatchTime.now().uptimeNanoseconds
      let d = f()
      return (d, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let (d, fast) = time { SCoReEditDistance.levenshtein(a, b) }
    let codesA = a.unicodeScalars.map(\.value)
    let codesB = b.unicodeScalars.map(\.value)
    let (dp, slow) = time { SCoReEditDistance.levenshteinDP(codesA, codesB) }
    print(
      String(
        format: "levenshtein 4000×4000: bit-parallel %.2f ms, row DP %.1f ms (×%.0f)", fast * 1e3, slow * 1e3,
        slow / fast))
    XCTAssertEqual(d, dp)
    XCTAssertGreaterThan(d, 3000)
    XCTAssertLessThanOrEqual(d, 4000)
    XCTAssertLessThan(fast, 2)
  }
}
