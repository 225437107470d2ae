import Foundation

/// Parses an HTTP/1.1 response from the bytes received so far (RFC 9112 §4–7): status line, header
/// fields, then a body delimited by `Transfer-Encoding: chunked`, by `Content-Length`, or by the
/// end of the connection.
///
/// Example: `"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"` →
/// status 200, body `"abc"`; the same bytes without the final `"0\r\n\r\n"` → nil (need more).
enum HTTPResponseParser {
  /// The response when `bytes` hold all of it, nil when more must be read; at EOF a body without a
  /// length ends where the bytes end, and a truncated chunked or sized body is an error.
  static func parse(_ bytes: [UInt8], atEOF: Bool) throws -> PlainHTTPClient.Response? {
    guard let headEnd = find([13, 10, 13, 10], in: bytes, from: 0) else {
      if atEOF { throw PlainHTTPClient.Failure.malformed("no complete header (\(bytes.count) bytes)") }
      return nil
    }
    let lines = String(decoding: bytes[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ", maxSplits: 2)
    guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
      throw PlainHTTPClient.Failure.malformed("status line \"\(lines[0].prefix(80))\"")
    }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":") else {
        throw PlainHTTPClient.Failure.malformed("header line \"\(line.prefix(80))\"")
      }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    let start = headEnd + 4
    // 1xx, 204 and 304 carry no body (RFC 9112 §6.3).
    if (100..<200).contains(status) || status == 204 || status == 304 {
      return .init(status: status, headers: headers, body: Data())
    }
    if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
      guard let body = try dechunk(bytes, from: start) else {
        if atEOF { throw PlainHTTPClient.Failure.connectionLost("closed inside a chunked body") }
        return nil
      }
      return .init(status: status, headers: headers, body: body)
    }
    if let field = headers["content-length"] {
      guard let length = Int(field), length >= 0 else {
        throw PlainHTTPClient.Failure.malformed("Content-Length \"\(field)\"")
      }
      guard bytes.count - start >= length else {
        if atEOF {
          throw PlainHTTPClient.Failure.connectionLost(
            "body ended at \(bytes.count - start) of \(length) bytes")
        }
        return nil
      }
      return .init(status: status, headers: headers, body: Data(bytes[start..<(start + length)]))
    }
    return atEOF ? .init(status: status, headers: headers, body: Data(bytes[start...])) : nil
  }

  /// The de-chunked body, or nil when the last chunk (size 0 and its trailer section) is not in yet.
  static func dechunk(_ bytes: [UInt8], from start: Int) throws -> Data? {
    var body = Data()
    var i = start
    while true {
      guard let lineEnd = find([13, 10], in: bytes, from: i) else { return nil }
      let line = String(decoding: bytes[i..<lineEnd], as: UTF8.self)
      let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
      guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
        throw PlainHTTPClient.Failure.malformed("chunk size \"\(line.prefix(40))\"")
      }
      i = lineEnd + 2
      if size == 0 {
        // Trailer fields, then an empty line.
        while true {
          guard let end = find([13, 10], in: bytes, from: i) else { return nil }
          if end == i { return body }
          i = end + 2
        }
      }
      guard bytes.count >= i + size + 2 else { return nil }
      body.append(contentsOf: bytes[i..<(i + size)])
      guard bytes[i + size] == 13, bytes[i + size + 1] == 10 else {
        throw PlainHTTPClient.Failure.malformed("chunk of \(size) bytes not followed by CRLF")
      }
      i += size + 2
    }
  }

  static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
    guard hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
    var i = from
    while i <= hay.count - needle.count {
      if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
      i += 1
    }
    return nil
  }
}
