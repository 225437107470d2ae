import XCTest

@testable import Tokenizers

/// Expected splits written by hand from the regexes in PreTokenizer's doc comments.
final class PreTokenizerTests: XCTestCase {
  func testGPT2() {
    let p = PreTokenizer.gpt2
    XCTAssertEqual(p.split("I'm  here 123!"), ["I", "'m", " ", " here", " 123", "!"])
    XCTAssertEqual(p.split("they're we'll I'd it's"), ["they", "'re", " we", "'ll", " I", "'d", " it", "'s"])
    // Case-sensitive contractions: "'S" is punctuation + letter.
    XCTAssertEqual(p.split("IT'S"), ["IT", "'", "S"])
    // Whitespace run before a word keeps its last space for the word; at the end it stays whole.
    XCTAssertEqual(p.split("a   b  "), ["a", "  ", " b", "  "])
    // A tab cannot prefix a word (only a plain space can).
    XCTAssertEqual(p.split("a\tb"), ["a", "\t", "b"])
    XCTAssertEqual(p.split("x=(1+2);"), ["x", "=(", "1", "+", "2", ");"])
    XCTAssertEqual(p.split("hello, world"), ["hello", ",", " world"])
    XCTAssertEqual(p.split("你好世界 ok"), ["你好世界", " ok"])
    // Combining marks are neither letters nor numbers: "é" decomposed splits after "e".
    XCTAssertEqual(p.split("e\u{301}t"), ["e", "\u{301}", "t"])
  }

  func testGPT2NewlinesExact() {
    // "\n\n" then "b": the run keeps its last newline alone (\s+(?!\S) backs off one), which then
    // cannot join "b" (only a space prefixes a word).
    XCTAssertEqual(PreTokenizer.gpt2.split("a\n\nb"), ["a", "\n", "\n", "b"])
    XCTAssertEqual(PreTokenizer.gpt2.split("a \n b"), ["a", " \n", " b"])
  }

  func testIndividualDigits() {
    let p = PreTokenizer.gpt2IndividualDigits
    XCTAssertEqual(p.split("in 2024!"), ["in", " ", "2", "0", "2", "4", "!"])
    // The digit split comes first, so the whitespace run before a digit ends at the piece boundary
    // and is not shortened by the lookahead.
    XCTAssertEqual(p.split("a  1"), ["a", "  ", "1"])
    XCTAssertEqual(p.split("x1y"), ["x", "1", "y"])
    XCTAssertEqual(p.split("½٣"), ["½", "٣"])  // \p{N} covers No and Nd beyond ASCII
  }

  func testLlama3() {
    let p = PreTokenizer.llama3
    XCTAssertEqual(p.split("1234567 abc"), ["123", "456", "7", " abc"])
    // Case-insensitive contractions.
    XCTAssertEqual(p.split("IT'S I'M"), ["IT", "'S", " I", "'M"])
    // One non-letter, non-newline character may prefix a word.
    XCTAssertEqual(p.split("(hello)\tworld"), ["(hello", ")", "\tworld"])
    // Punctuation swallows following newlines; whitespace ending in newlines is one piece.
    XCTAssertEqual(p.split("end.\n\nNext"), ["end", ".\n\n", "Next"])
    XCTAssertEqual(p.split("a  \n  b"), ["a", "  \n", " ", " b"])
    XCTAssertEqual(p.split("a   b"), ["a", "  ", " b"])
  }

  func testQwen2SingleDigits() {
    XCTAssertEqual(PreTokenizer.qwen2.split("x 123"), ["x", " ", "1", "2", "3"])
    XCTAssertEqual(PreTokenizer.qwen2.split("we'LL"), ["we", "'LL"])
  }

  func testGGMLNames() {
    XCTAssertEqual(PreTokenizer(ggmlPre: "smollm"), .gpt2IndividualDigits)
    XCTAssertEqual(PreTokenizer(ggmlPre: "llama-bpe"), .llama3)
    XCTAssertEqual(PreTokenizer(ggmlPre: "qwen2"), .qwen2)
    XCTAssertEqual(PreTokenizer(ggmlPre: "gpt-2"), .gpt2)
    XCTAssertNil(PreTokenizer(ggmlPre: "unknown-thing"))
  }
}

final class PreTokenizerWhitespaceTests: XCTestCase {
  /// U+001C…U+001F count as whitespace, as in llama.cpp (HF's regex engine disagrees; the SmolLM2
  /// llama.cpp fixture is the reference Recheck follows).
  func testInformationSeparatorsAreWhitespaceAsInLlamaCpp() {
    XCTAssertEqual(PreTokenizer.gpt2.split("a\u{1C}b"), ["a", "\u{1C}", "b"])
    XCTAssertEqual(PreTokenizer.gpt2.split("!\u{1F}\u{1C}x"), ["!", "\u{1F}", "\u{1C}", "x"])
    XCTAssertEqual(PreTokenizer.llama3.split("a\u{1C}\u{1C}b"), ["a", "\u{1C}", "\u{1C}b"])
  }
}
