import Foundation

/// One parsed JSONL line with typed accessors that fail with a `DatasetError` naming the file, the line
/// and the key. JSON types are kept apart strictly: `true` is not a number, `1` is not a string (but
/// `stringOrNumber` accepts both, for answers such as AMC's `27.0`).
public struct DatasetRecord {
  public let file: String
  public let line: Int
  public let fields: [String: Any]

  /// Parses `text` as a JSON object.
  public init(text: String, file: String, line: Int) throws {
    self.file = file
    self.line = line
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    } catch {
      let why = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
      throw DatasetError(file: file, line: line, reason: .badJSON(why))
    }
    guard let dict = object as? [String: Any] else {
      throw DatasetError(file: file, line: line, reason: .notAnObject)
    }
    self.fields = dict
  }

  public var keys: Set<String> { Set(fields.keys) }

  public func has(_ key: String) -> Bool { fields[key] != nil && !(fields[key] is NSNull) }

  public func error(_ reason: DatasetError.Reason) -> DatasetError {
    DatasetError(file: file, line: line, reason: reason)
  }

  /// `key`'s string value; throws when absent or not a string.
  public func string(_ key: String) throws -> String {
    guard let v = fields[key], !(v is NSNull) else { throw error(.missingKey(key)) }
    guard let s = v as? String else { throw error(.wrongType(key: key, expected: "a string")) }
    return s
  }

  /// `key`'s string value, nil when absent or null; throws when present with another type.
  public func optionalString(_ key: String) throws -> String? {
    has(key) ? try string(key) : nil
  }

  /// A string, or a number rendered without a spurious `.0` (27.0 → "27", 2.5 → "2.5").
  public func stringOrNumber(_ key: String) throws -> String {
    guard let v = fields[key], !(v is NSNull) else { throw error(.missingKey(key)) }
    if let s = v as? String { return s }
    // A long-precision literal (swift-corelibs-foundation hands it back as NSDecimalNumber) keeps
    // its exact digits: 0.1234567890123456789 must not become the Double 0.12345678901234565.
    if let d = v as? NSDecimalNumber { return d.stringValue }
    if let n = Self.number(v) {
      if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
      return String(n)
    }
    throw error(.wrongType(key: key, expected: "a string or a number"))
  }

  public func optionalStringOrNumber(_ key: String) throws -> String? {
    has(key) ? try stringOrNumber(key) : nil
  }

  /// An integer (a JSON number with no fractional part).
  public func int(_ key: String) throws -> Int {
    guard let v = fields[key], !(v is NSNull) else { throw error(.missingKey(key)) }
    guard let n = Self.number(v), n == n.rounded(), abs(n) < 1e15 else {
      throw error(.wrongType(key: key, expected: "an integer"))
    }
    return Int(n)
  }

  /// An array of strings; `allowEmpty: false` also rejects `[]`.
  public func stringList(_ key: String, allowEmpty: Bool = true) throws -> [String] {
    guard let v = fields[key], !(v is NSNull) else { throw error(.missingKey(key)) }
    guard let list = v as? [Any], let strings = list as? [String] else {
      throw error(.wrongType(key: key, expected: "an array of strings"))
    }
    if !allowEmpty && strings.isEmpty { throw error(.badValue(key: key, why: "empty list")) }
    return strings
  }

  /// An array of integers.
  public func intList(_ key: String) throws -> [Int] {
    guard let v = fields[key], !(v is NSNull) else { throw error(.missingKey(key)) }
    guard let list = v as? [Any] else { throw error(.wrongType(key: key, expected: "an array of integers")) }
    return try list.map { item in
      guard let n = Self.number(item), n == n.rounded(), abs(n) < 1e15 else {
        throw error(.wrongType(key: key, expected: "an array of integers"))
      }
      return Int(n)
    }
  }

  /// The value of a JSON number from `JSONSerialization`, nil for anything else. Foundation hands
  /// booleans back as NSNumbers too, so they are told apart explicitly (otherwise `true` would read
  /// as 1); long-precision literals arrive as `NSDecimalNumber` (a subclass) and are numbers.
  /// Shared with `HTMLReport`'s metrics reader.
  public static func number(_ v: Any?) -> Double? {
    guard let n = v as? NSNumber else { return nil }
    if n is NSDecimalNumber { return n.doubleValue }
    #if canImport(Darwin)
      if CFGetTypeID(n) == CFBooleanGetTypeID() { return nil }
    #else
      // swift-corelibs-foundation: booleans are a private NSNumber subclass, numbers plain NSNumber.
      if type(of: n) != NSNumber.self { return nil }
    #endif
    return n.doubleValue
  }
}
