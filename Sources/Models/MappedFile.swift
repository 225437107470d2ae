import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A read-only view of a whole file's bytes, memory-mapped (`mmap`, `MAP_PRIVATE`) so that a 100 MB
/// checkpoint costs no copy and pages are read only when a tensor is touched. Can also wrap an
/// in-memory buffer (copied once), which the tests use for malformed inputs.
///
/// The mapping lives as long as this object; raw pointers handed out must not outlive it. The bytes
/// are never written, so sharing across threads is safe.
public final class MappedFile: @unchecked Sendable {
  /// Path of the file (or a label for an in-memory buffer), used in error messages.
  public let path: String
  /// The bytes; `count == 0` for an empty file.
  public let bytes: UnsafeRawBufferPointer
  private let isMapped: Bool

  /// Maps the file at `url` read-only.
  public init(url: URL) throws {
    path = url.path
    let fd = open(url.path, O_RDONLY)
    guard fd >= 0 else { throw CheckpointError.io(path: url.path, reason: MappedFile.errnoText()) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw CheckpointError.io(path: url.path, reason: MappedFile.errnoText())
    }
    let size = Int(info.st_size)
    if size == 0 {
      // mmap of length 0 is an error; an empty file is simply an empty buffer (and a format error later).
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      isMapped = false
      return
    }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      throw CheckpointError.io(path: url.path, reason: "mmap failed: \(MappedFile.errnoText())")
    }
    bytes = UnsafeRawBufferPointer(start: base, count: size)
    isMapped = true
  }

  /// Wraps a copy of `data`; `label` stands in for the path in error messages.
  public init(data: Data, label: String = "<memory>") {
    path = label
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 64)
    _ = data.copyBytes(to: buffer.bindMemory(to: UInt8.self))
    bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: data.count)
    isMapped = false
  }

  deinit {
    guard let base = bytes.baseAddress else { return }
    if isMapped {
      munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
    } else {
      UnsafeMutableRawPointer(mutating: base).deallocate()
    }
  }

  /// The current `errno` as text, for error messages.
  static func errnoText() -> String {
    String(cString: strerror(errno))
  }
}
