import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file so that readers see either the old contents or the complete new ones, never a
/// partial file: bytes go to a temporary file in the destination's directory (same file system, so
/// `rename` is atomic), which is `fsync`ed, renamed over the destination, and then the directory is
/// `fsync`ed so the rename itself survives a crash. If `commit()` is never reached (an error, a
/// thrown conversion), the temporary file is removed.
///
/// Usage: `let w = try AtomicFileWriter(destination: url); try w.write(bytes); try w.commit()`.
public final class AtomicFileWriter {
  public let destination: URL
  private let temporaryPath: String
  private var fd: Int32
  private var committed = false

  public init(destination: URL) throws {
    self.destination = destination
    let directory = destination.deletingLastPathComponent().path
    // mkstemp picks an unused name (its own nonce; no RNG of ours is involved) and opens it O_EXCL.
    var template = Array("\(directory)/.\(destination.lastPathComponent).tmp-XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      throw CheckpointError.io(
        path: destination.path, reason: "cannot create temporary file: \(MappedFile.errnoText())")
    }
    fd = descriptor
    temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  }

  deinit {
    if !committed {
      if fd >= 0 { close(fd) }
      unlink(temporaryPath)
    }
  }

  /// Appends bytes, retrying short writes.
  public func write(_ buffer: UnsafeRawBufferPointer) throws {
    var done = 0
    while done < buffer.count {
      let n = posixWrite(fd, buffer.baseAddress! + done, buffer.count - done)
      if n < 0 {
        if errno == EINTR { continue }
        throw CheckpointError.io(path: temporaryPath, reason: "write failed: \(MappedFile.errnoText())")
      }
      done += n
    }
  }

  public func write(_ data: Data) throws {
    try data.withUnsafeBytes { try write($0) }
  }

  /// Flushes, gives the file ordinary permissions (mkstemp creates it 0600), renames it into place and
  /// flushes the directory entry.
  public func commit() throws {
    precondition(!committed, "AtomicFileWriter.commit() called twice")
    guard fchmod(fd, 0o644) == 0, fsync(fd) == 0 else {
      throw CheckpointError.io(path: temporaryPath, reason: "fsync failed: \(MappedFile.errnoText())")
    }
    close(fd)
    fd = -1
    guard rename(temporaryPath, destination.path) == 0 else {
      throw CheckpointError.io(path: destination.path, reason: "rename failed: \(MappedFile.errnoText())")
    }
    committed = true
    AtomicFileWriter.syncDirectory(destination.deletingLastPathComponent().path)
  }

  /// Writes `value` to `url` atomically as a run file: pretty-printed JSON with sorted keys, so that
  /// configs, manifests and summaries diff cleanly between runs. Example: `["b": 1, "a": 2]` →
  /// "{\n  \"a\" : 2,\n  \"b\" : 1\n}".
  public static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try write(encoder.encode(value), to: url)
  }

  /// Writes `data` to `url` atomically.
  public static func write(_ data: Data, to url: URL) throws {
    let writer = try AtomicFileWriter(destination: url)
    try writer.write(data)
    try writer.commit()
  }

  /// fsync on a directory makes a rename durable; failure here is not fatal (some file systems refuse).
  static func syncDirectory(_ path: String) {
    let dirFD = open(path, O_RDONLY)
    if dirFD >= 0 {
      _ = fsync(dirFD)
      close(dirFD)
    }
  }
}

/// `write(2)` under a name that does not clash with the method above.
@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
