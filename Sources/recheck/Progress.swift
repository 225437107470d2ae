import Foundation

/// Progress output of long commands: one line at a time on stderr, written immediately (stdout
/// carries results — tables, JSON — and may be a buffered pipe).
enum Progress {
  /// Put before every line: a child process that runs beside others names its seed ("seed 2: ").
  /// Set once at start-up, before any line is written.
  nonisolated(unsafe) static var prefix = ""

  static func say(_ line: String) {
    FileHandle.standardError.write(Data((prefix + line + "\n").utf8))
  }
}
