import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Streams the lines of a (possibly large) text file in constant memory: the file is read in fixed-size
/// chunks and only the current, unfinished line is kept. Lines end at `\n`; a `\r` right before it is
/// dropped (CRLF files), a final line without a newline is still returned, and a UTF-8 byte-order mark
/// at the very start is skipped. Line numbers are 1-based and count every line, blank ones included.
///
///     let reader = try JSONLLineReader(path: "data.jsonl")
///     while let line = try reader.next() { print(line.number, line.text) }
public final class JSONLLineReader {
  public struct Line: Sendable, Equatable {
    /// 1-based line number in the file.
    public var number: Int
    /// The line without its terminator (`\n` or `\r\n`).
    public var text: String
  }

  public let path: String
  private let file: UnsafeMutablePointer<FILE>
  private var chunk: [UInt8]
  private var chunkStart = 0
  private var chunkEnd = 0
  private var pending: [UInt8] = []
  private var lineNumber = 0
  private var atEOF = false
  private var firstChunk = true

  /// Opens `path`; `chunkSize` is the read size (small values exercise chunk boundaries in tests).
  public init(path: String, chunkSize: Int = 1 << 16) throws {
    guard let f = fopen(path, "rb") else {
      throw DatasetError(file: path, line: 0, reason: .unreadable(String(cString: strerror(errno))))
    }
    self.path = path
    self.file = f
    self.chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
  }

  deinit { fclose(file) }

  /// The next line, or nil at the end of the file.
  public func next() throws -> Line? {
    while true {
      if chunkStart < chunkEnd {
        let found = chunk.withUnsafeBufferPointer { buf -> Int? in
          var i = chunkStart
          while i < chunkEnd {
            if buf[i] == UInt8(ascii: "\n") { return i }
            i += 1
          }
          return nil
        }
        if let end = found {
          pending.append(contentsOf: chunk[chunkStart..<end])
          chunkStart = end + 1
          return emit()
        }
        pending.append(contentsOf: chunk[chunkStart..<chunkEnd])
        chunkStart = chunkEnd
      }
      if atEOF {
        // A last line without a trailing newline.
        return pending.isEmpty ? nil : emit()
      }
      try refill()
    }
  }

  /// Every remaining line, calling `body` for each (stops early when `body` throws).
  public func forEach(_ body: (Line) throws -> Void) throws {
    while let line = try next() { try body(line) }
  }

  private func refill() throws {
    let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
    if n < chunk.count {
      if ferror(file) != 0 {
        throw DatasetError(file: path, line: lineNumber + 1, reason: .unreadable("read error"))
      }
      atEOF = true
    }
    chunkStart = 0
    chunkEnd = n
    if firstChunk {
      firstChunk = false
      if n >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF { chunkStart = 3 }
    }
  }

  private func emit() -> Line {
    lineNumber += 1
    if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
    let text = String(decoding: pending, as: UTF8.self)
    pending.removeAll(keepingCapacity: true)
    return Line(number: lineNumber, text: text)
  }
}
