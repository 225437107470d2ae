/// Shape arithmetic and the checks that turn a shape mismatch into a message naming both shapes.
public enum Shape {
  /// Number of elements (1 for a rank-0 shape).
  @inline(__always) public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

  static func validate(_ shape: [Int]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
  }

  /// Row-major strides.
  public static func strides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      s[i] = acc
      acc *= shape[i]
    }
    return s
  }

  /// NumPy broadcasting of two shapes, or a message naming both when they are incompatible.
  public static func broadcast(_ a: [Int], _ b: [Int]) -> Result<[Int], ShapeError> {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      if da == db || db == 1 {
        out[i] = da
      } else if da == 1 {
        out[i] = db
      } else {
        return .failure(ShapeError("cannot broadcast shapes \(a) and \(b) (axis \(i): \(da) vs \(db))"))
      }
    }
    return .success(out)
  }

  /// Checks the operands of a (batched) matrix product and returns (batch, m, k, n).
  public static func matmul(
    _ a: [Int], _ b: [Int], transposeA: Bool, transposeB: Bool
  ) -> Result<(batch: [Int], m: Int, k: Int, n: Int), ShapeError> {
    let what = "matmul of \(a)\(transposeA ? "ᵀ" : "") and \(b)\(transposeB ? "ᵀ" : "")"
    guard a.count >= 2, b.count >= 2 else {
      return .failure(ShapeError("\(what): both operands need rank ≥ 2"))
    }
    let m = transposeA ? a[a.count - 1] : a[a.count - 2]
    let ka = transposeA ? a[a.count - 2] : a[a.count - 1]
    let kb = transposeB ? b[b.count - 1] : b[b.count - 2]
    let n = transposeB ? b[b.count - 2] : b[b.count - 1]
    guard ka == kb else {
      return .failure(ShapeError("\(what): inner dimensions differ (\(ka) vs \(kb))"))
    }
    let batchA = Array(a.dropLast(2))
    let batchB = Array(b.dropLast(2))
    if b.count == 2 {
      if transposeA && !batchA.isEmpty {
        return .failure(ShapeError("\(what): a transposed batched left operand needs a batched right one"))
      }
      return .success((batchA, m, ka, n))
    }
    guard batchA == batchB else {
      return .failure(ShapeError("\(what): batch dimensions differ (\(batchA) vs \(batchB))"))
    }
    return .success((batchA, m, ka, n))
  }
}

/// A shape mismatch, with a message that names the shapes involved.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

extension Result where Failure == ShapeError {
  /// The value, or a trap carrying the shape message (shape errors are programming errors).
  @inline(__always) func orFail() -> Success {
    switch self {
    case .success(let v): return v
    case .failure(let e): preconditionFailure(e.description)
    }
  }
}
