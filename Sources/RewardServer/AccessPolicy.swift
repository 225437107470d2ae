import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Who may call the reward server. `/run_code` runs whatever it is sent, so off loopback a shared
/// secret is required: `Authorization: Bearer <secret>`, or — for clients that cannot send headers
/// (OpenRLHF's remote reward client, verl's SandboxFusion client) — the path prefix `/k/<secret>/`.
/// Optionally only some networks may connect at all. `/health` stays open to everyone.
public struct AccessPolicy: Codable, Sendable, Equatable {
  /// The shared secret; nil: none required (loopback, or `--insecure`).
  public var secret: String?
  /// Networks allowed to connect; empty: any.
  public var allowed: [IPNetwork]

  public init(secret: String? = nil, allowed: [IPNetwork] = []) {
    self.secret = secret
    self.allowed = allowed
  }

  public enum Decision: Equatable, Sendable {
    case allowed
    /// 401: no secret, or a wrong one (the reason is for /metrics and logs, never the secret).
    case unauthorized(reason: String)
    /// 403: the address is outside `allowed`.
    case forbidden
  }

  /// Decides one request from its `Authorization` header, the `/k/<secret>/` segment of its path, and
  /// the peer's address. Secrets are compared in constant time.
  public func decide(authorization: String?, pathSecret: String?, remote: String?) -> Decision {
    if !allowed.isEmpty {
      guard let remote, let bytes = IPNetwork.parseAddress(remote),
        allowed.contains(where: { $0.contains(bytes) })
      else { return .forbidden }
    }
    guard let secret else { return .allowed }
    let offered: String?
    if let pathSecret {
      offered = pathSecret
    } else if let header = authorization?.trimmingCharacters(in: .whitespaces),
      header.count > 7, header.prefix(7).lowercased() == "bearer "
    {
      offered = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
    } else {
      offered = nil
    }
    guard let offered else { return .unauthorized(reason: "missing") }
    return Self.constantTimeEqual(Array(offered.utf8), Array(secret.utf8))
      ? .allowed : .unauthorized(reason: "wrong")
  }

  /// True iff `a == b`; the time taken depends on the lengths only, not on where they differ.
  static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var diff = UInt(bitPattern: a.count ^ b.count)
    for i in 0..<b.count { diff |= UInt((i < a.count ? a[i] : 0) ^ b[i]) }
    return diff == 0
  }

  /// Reads a secret from a file (surrounding whitespace dropped). It goes into URL paths, so it must
  /// be at least 16 characters of `A–Z a–z 0–9 . _ ~ -` (e.g. `openssl rand -hex 32`).
  public static func loadSecret(file: String) throws -> String {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
      throw AccessPolicyError("--api-key-file \(file): cannot read the file")
    }
    let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let allowedCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-")
    guard secret.count >= 16, secret.allSatisfy({ allowedCharacters.contains($0) }) else {
      throw AccessPolicyError(
        "--api-key-file \(file): the secret must be at least 16 characters of A-Z a-z 0-9 . _ ~ - "
          + "(it is also used as a URL path segment); make one with `openssl rand -hex 32 > \(file)`")
    }
    return secret
  }

  /// Loopback names and addresses: `localhost`, 127.0.0.0/8, ::1.
  public static func isLoopback(host: String) -> Bool {
    let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    if h == "localhost" { return true }
    guard let bytes = IPNetwork.parseAddress(h) else { return false }
    return bytes.count == 4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1]
  }

  /// Why serving `host` with this policy is refused, or nil: a non-loopback address needs a secret
  /// unless the operator said `--insecure`.
  public static func exposureProblem(host: String, policy: AccessPolicy?, insecure: Bool) -> String? {
    if isLoopback(host: host) || policy?.secret != nil || insecure { return nil }
    return "refusing to serve \(host) without a shared secret: /run_code runs any code it is sent. "
      + "Pass --api-key-file FILE (clients send `Authorization: Bearer …` or use the /k/<secret>/ path "
      + "prefix), bind 127.0.0.1, or add --insecure if the network is trusted"
  }
}

public struct AccessPolicyError: Error, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }
}

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `fd00::/8`; a bare address is /32 or /128).
/// IPv4-mapped IPv6 peers (`::ffff:10.1.2.3`) match IPv4 networks.
public struct IPNetwork: Codable, Sendable, Equatable {
  public var address: [UInt8]
  public var prefix: Int

  public init(cidr: String) throws {
    let parts = cidr.split(separator: "/", maxSplits: 1).map(String.init)
    guard let first = parts.first, let address = Self.parseAddress(first) else {
      throw AccessPolicyError("--allow \(cidr): not an IP address or CIDR network")
    }
    let bits = address.count * 8
    let prefix = parts.count == 2 ? Int(parts[1]) : bits
    guard let prefix, (0...bits).contains(prefix) else {
      throw AccessPolicyError("--allow \(cidr): prefix length must be 0…\(bits)")
    }
    self.address = address
    self.prefix = prefix
  }

  public func contains(_ peer: [UInt8]) -> Bool {
    guard peer.count == address.count else { return false }
    for bit in 0..<prefix where (peer[bit / 8] ^ address[bit / 8]) & (0x80 >> UInt8(bit % 8)) != 0 {
      return false
    }
    return true
  }

  /// 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; nil when `text` is neither.
  public static func parseAddress(_ text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
    var v6 = in6_addr()
    guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
    let bytes = withUnsafeBytes(of: &v6) { Array($0) }
    if bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] { return Array(bytes.suffix(4)) }
    return bytes
  }
}
