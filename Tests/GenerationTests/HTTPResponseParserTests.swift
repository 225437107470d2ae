import Foundation
import XCTest

@testable import Generation

final class HTTPResponseParserTests: XCTestCase {
  func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  func testChunkedBodyIsJoinedAndNeedsItsLastChunk() throws {
    let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n"
    let partial = head + "3\r\nabc\r\n"
    XCTAssertNil(try HTTPResponseParser.parse(bytes(partial), atEOF: false))
    // A chunk extension is ignored; sizes are hex (0x10 = 16 bytes); a trailer field precedes the end.
    let full = head + "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\n"
    let r = try XCTUnwrap(HTTPResponseParser.parse(bytes(full), atEOF: false))
    XCTAssertEqual(r.status, 200)
    XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "abc0123456789abcdef")
    XCTAssertEqual(r.headers["x-a"], "b")
    XCTAssertThrowsError(try HTTPResponseParser.parse(bytes(partial), atEOF: true))
  }

  func testContentLengthBoundsTheBody() throws {
    let s = "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 5\r\nRetry-After: 2\r\n\r\nhello"
    XCTAssertNil(try HTTPResponseParser.parse(bytes(String(s.dropLast(2))), atEOF: false))
    XCTAssertThrowsError(try HTTPResponseParser.parse(bytes(String(s.dropLast(2))), atEOF: true))
    let r = try XCTUnwrap(HTTPResponseParser.parse(bytes(s + "EXTRA"), atEOF: false))
    XCTAssertEqual(r.status, 429)
    XCTAssertEqual(r.body, Data("hello".utf8))
    XCTAssertEqual(r.headers["retry-after"], "2")
  }

  func testBodyWithoutLengthEndsAtEOFAndNoContentHasNone() throws {
    let s = "HTTP/1.0 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\noops"
    XCTAssertNil(try HTTPResponseParser.parse(bytes(s), atEOF: false))
    XCTAssertEqual(try HTTPResponseParser.parse(bytes(s), atEOF: true)?.body, Data("oops".utf8))
    XCTAssertEqual(
      try HTTPResponseParser.parse(bytes("HTTP/1.1 204 No Content\r\n\r\n"), atEOF: false)?.body, Data())
  }

  func testMalformedResponsesAreErrors() {
    for bad in [
      "SMTP 220 hi\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n",
    ] {
      XCTAssertThrowsError(try HTTPResponseParser.parse(bytes(bad), atEOF: false), bad) { error in
        guard case PlainHTTPClient.Failure.malformed = error else { return XCTFail("\(bad): \(error)") }
      }
    }
    XCTAssertThrowsError(try HTTPResponseParser.parse(bytes("HTTP/1.1 200"), atEOF: true))
  }

  func testRequestBytes() throws {
    let url = try XCTUnwrap(URL(string: "http://127.0.0.1:8080/v1/completions?x=1"))
    let raw = try PlainHTTPClient.requestBytes(
      method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
    XCTAssertEqual(
      String(decoding: raw, as: UTF8.self),
      "POST /v1/completions?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 2\r\n"
        + "Connection: close\r\nContent-Type: application/json\r\n\r\n{}")
    let v6 = try PlainHTTPClient.requestBytes(
      method: "GET", url: try XCTUnwrap(URL(string: "http://[::1]:9/")), headers: [], body: Data())
    XCTAssertTrue(String(decoding: v6, as: UTF8.self).contains("Host: [::1]:9\r\n"))
  }
}
