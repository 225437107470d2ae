import TensorCore

/// A node of the module tree. Each module lists its own parameters and its children under local
/// names; `namedParameters()` joins them with dots, giving Hugging Face names such as
/// `model.layers.0.self_attn.q_proj.weight` when the tree mirrors the HF module layout.
public protocol Module: AnyObject {
  /// Parameters held directly by this module, by local name.
  var ownParameters: [(String, Tensor)] { get }
  /// Child modules, by local name.
  var children: [(String, any Module)] { get }
}

extension Module {
  public var ownParameters: [(String, Tensor)] { [] }
  public var children: [(String, any Module)] { [] }

  /// Every parameter in the tree with its dotted name, depth first, in declaration order.
  public func namedParameters(prefix: String = "") -> [(name: String, tensor: Tensor)] {
    var out: [(name: String, tensor: Tensor)] = []
    for (name, t) in ownParameters { out.append((prefix.isEmpty ? name : "\(prefix).\(name)", t)) }
    for (name, child) in children {
      out += child.namedParameters(prefix: prefix.isEmpty ? name : "\(prefix).\(name)")
    }
    return out
  }

  public var parameters: [Tensor] { namedParameters().map(\.tensor) }

  /// Total number of scalar parameters.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  public func zeroGrad() { for p in parameters { p.grad = nil } }

  /// Copies values into the parameters by name. Every parameter must be present with the same
  /// shape, unless `strict` is false (then missing names are listed and skipped); extra names are
  /// returned as unused.
  @discardableResult
  public func load(_ values: [String: Tensor], strict: Bool = true) throws -> (
    missing: [String], unused: [String]
  ) {
    var missing: [String] = []
    var used = Set<String>()
    for (name, p) in namedParameters() {
      guard let v = values[name] else {
        missing.append(name)
        continue
      }
      guard v.shape == p.shape else {
        throw ModuleError.shapeMismatch(name: name, expected: p.shape, got: v.shape)
      }
      p.assign(v)
      used.insert(name)
    }
    if strict && !missing.isEmpty { throw ModuleError.missing(missing) }
    return (missing, values.keys.filter { !used.contains($0) }.sorted())
  }
}

public enum ModuleError: Error, CustomStringConvertible, Equatable {
  case shapeMismatch(name: String, expected: [Int], got: [Int])
  case missing([String])

  public var description: String {
    switch self {
    case .shapeMismatch(let name, let e, let g):
      return "parameter \(name): expected shape \(e), checkpoint has \(g)"
    case .missing(let names):
      return
        "checkpoint lacks \(names.count) parameter(s): \(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", …" : "")"
    }
  }
}

extension Tensor {
  /// Overwrites this tensor's elements (same shape; dtype converted), outside the tape.
  public func assign(_ other: Tensor) {
    precondition(other.shape == shape, "assign: \(other.shape) into \(shape)")
    let src = other.dtype == dtype ? other : withNoGrad { other.cast(dtype) }
    storage.copyElements(from: src.storage)
  }
}
