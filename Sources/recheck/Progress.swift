import Foundation

/// Progress output of long commands: one line at a time on stderr, written immediately (stdout
/// carries results — tables, JSON — and may be a buffered pipe).
enum Progress {
  static func say(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
