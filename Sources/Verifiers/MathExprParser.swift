import Foundation

/// Recursive-descent parser from normalised LaTeX (see `MathNormalizer`) to `MathExpr`.
///
/// Grammar (LaTeX argument rules: `\frac34`, `x^23` = x²·3, `\sqrt2`):
/// ```
/// sum     := product (('+' | '-') product)*
/// product := unary (('\cdot' | '\times' | '*' | '\div' | '/' | implicit) unary)*
/// unary   := ('-' | '+') unary | power
/// power   := postfix ('^' arg)?          postfix := primary '!'*
/// primary := number | mixed number | variable | constant | '(' sum ')' | '{' sum '}' | '|' sum '|'
///          | \frac arg arg | \sqrt[n]? arg | \binom arg arg | function arg
/// ```
/// Returns nil on anything it does not understand (the grader then compares strings), and limits
/// nesting depth so no input can overflow the stack.
struct MathExprParser {
  private let s: [UInt8]
  private var pos = 0
  private var depth = 0
  private static let maxDepth = 120

  static func parse(_ text: String) -> MathExpr? {
    guard text.utf8.count <= 2000 else { return nil }
    var p = MathExprParser(Array(text.utf8))
    guard let e = p.parseSum() else { return nil }
    p.skipSpaces()
    return p.pos == p.s.count ? e : nil
  }

  private init(_ bytes: [UInt8]) { s = bytes }

  // MARK: lexing helpers

  private var peek: UInt8? { pos < s.count ? s[pos] : nil }

  private mutating func skipSpaces() {
    while pos < s.count, s[pos] == 32 || s[pos] == 9 || s[pos] == 10 { pos += 1 }
  }

  private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
  private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }

  /// The command name at `pos` (which must be a backslash) without consuming it.
  private func commandAt(_ p: Int) -> String? {
    guard p < s.count, s[p] == 92 else { return nil }
    var q = p + 1
    while q < s.count, Self.isLetter(s[q]) { q += 1 }
    if q == p + 1 { return q < s.count ? String(decoding: [s[q]], as: UTF8.self) : nil }
    return String(decoding: s[(p + 1)..<q], as: UTF8.self)
  }

  private mutating func consumeCommand() -> String? {
    guard let c = commandAt(pos) else { return nil }
    pos += 1 + c.utf8.count
    return c
  }

  private mutating func expect(_ c: UInt8) -> Bool {
    skipSpaces()
    guard peek == c else { return false }
    pos += 1
    return true
  }

  private static let greek: Set<String> = [
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
    "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
  ]
  private static let functionCommands: Set<String> = [
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "ln", "log", "exp",
  ]

  /// A bare word that names mathematics (a function, a Greek letter, `pi`), not prose.
  static func knownName(_ word: String) -> Bool {
    functionCommands.contains(word) || greek.contains(word) || word == "pi" || word == "inf" || word == "sqrt"
  }

  // MARK: grammar

  private mutating func parseSum() -> MathExpr? {
    depth += 1
    defer { depth -= 1 }
    guard depth < Self.maxDepth, var lhs = parseProduct() else { return nil }
    while true {
      skipSpaces()
      guard let c = peek, c == 43 || c == 45 else { return lhs }
      pos += 1
      guard let rhs = parseProduct() else { return nil }
      lhs = c == 43 ? .add(lhs, rhs) : .sub(lhs, rhs)
    }
  }

  private mutating func parseProduct() -> MathExpr? {
    guard var lhs = parseUnary() else { return nil }
    while true {
      skipSpaces()
      guard let c = peek else { return lhs }
      if c == 42 {
        pos += 1
        guard let r = parseUnary() else { return nil }
        lhs = .mul(lhs, r)
      } else if c == 47 {
        pos += 1
        guard let r = parseUnary() else { return nil }
        lhs = .div(lhs, r)
      } else if c == 92, let cmd = commandAt(pos), cmd == "cdot" || cmd == "times" || cmd == "div" {
        pos += 1 + cmd.utf8.count
        guard let r = parseUnary() else { return nil }
        lhs = cmd == "div" ? .div(lhs, r) : .mul(lhs, r)
      } else if startsPrimary() {
        guard let r = parsePower() else { return nil }
        lhs = .mul(lhs, r)
      } else {
        return lhs
      }
    }
  }

  /// Whether the next token can begin an implicitly multiplied factor.
  private func startsPrimary() -> Bool {
    guard let c = peek else { return false }
    if Self.isDigit(c) || Self.isLetter(c) || c == 40 || c == 123 || c == 46 { return true }
    if c == 92, let cmd = commandAt(pos) {
      return ["frac", "sqrt", "binom", "pi", "infty", "lfloor", "lceil", "operatorname", "mathrm"].contains(
        cmd)
        || Self.greek.contains(cmd) || Self.functionCommands.contains(cmd)
    }
    return false
  }

  private mutating func parseUnary() -> MathExpr? {
    skipSpaces()
    depth += 1
    defer { depth -= 1 }
    guard depth < Self.maxDepth else { return nil }
    if peek == 45 {
      pos += 1
      return parseUnary().map { .neg($0) }
    }
    if peek == 43 {
      pos += 1
      return parseUnary()
    }
    return parsePower()
  }

  private mutating func parsePower() -> MathExpr? {
    guard var base = parsePostfix() else { return nil }
    skipSpaces()
    if peek == 94 {
      pos += 1
      // `2^10` means 2¹⁰ in answers (plain-text habit), though TeX would typeset 2¹0.
      skipSpaces()
      var e: MathExpr
      if let c = peek, Self.isDigit(c) {
        let start = pos
        while pos < s.count, Self.isDigit(s[pos]) { pos += 1 }
        guard let r = MathBigInt(decimal: Substring(String(decoding: s[start..<pos], as: UTF8.self))) else {
          return nil
        }
        e = .number(MathRational(r))
      } else {
        guard let a = parseArgument() else { return nil }
        e = a
      }
      base = .pow(base, e)
      skipSpaces()
      while peek == 33 {
        pos += 1
        base = .call("factorial", [base])
      }
    }
    return base
  }

  private mutating func parsePostfix() -> MathExpr? {
    guard var e = parsePrimary() else { return nil }
    while peek == 33 {
      pos += 1
      e = .call("factorial", [e])
    }
    return e
  }

  /// A TeX macro argument: `{…}` parsed as a sum, or one digit / letter / command.
  private mutating func parseArgument() -> MathExpr? {
    skipSpaces()
    guard let c = peek else { return nil }
    if c == 123 {
      pos += 1
      guard let e = parseSum(), expect(125) else { return nil }
      return e
    }
    if Self.isDigit(c) {
      pos += 1
      return .number(MathRational(Int(c) - 48))
    }
    if c == 45 {  // `x^-1`: tolerated though not valid TeX
      pos += 1
      return parseArgument().map { .neg($0) }
    }
    if Self.isLetter(c) || c == 92 {
      depth += 1
      defer { depth -= 1 }
      guard depth < Self.maxDepth else { return nil }
      return parsePrimary(singleLetter: true)
    }
    return nil
  }

  private mutating func parsePrimary(singleLetter: Bool = false) -> MathExpr? {
    skipSpaces()
    guard let c = peek else { return nil }
    if Self.isDigit(c) || c == 46 { return parseNumber() }
    if c == 40 || c == 91 || c == 123 {
      let close: UInt8 = c == 40 ? 41 : (c == 91 ? 93 : 125)
      pos += 1
      guard let e = parseSum(), expect(close) else { return nil }
      return e
    }
    if c == 124 {
      pos += 1
      guard let e = parseSum(), expect(124) else { return nil }
      return .call("abs", [e])
    }
    if Self.isLetter(c) { return parseLetters(singleLetter: singleLetter) }
    if c == 92 { return parseCommand() }
    return nil
  }

  private mutating func parseNumber() -> MathExpr? {
    let start = pos
    while pos < s.count, Self.isDigit(s[pos]) { pos += 1 }
    let intEnd = pos
    if pos < s.count, s[pos] == 46, pos + 1 < s.count, Self.isDigit(s[pos + 1]) {
      pos += 1
      while pos < s.count, Self.isDigit(s[pos]) { pos += 1 }
    } else if pos < s.count, s[pos] == 46, pos > start {
      pos += 1  // `5.` — a trailing decimal point
    }
    // Scientific notation `1.5e-3` / `2E8` (an `e` followed by digits is never Euler's number here).
    if pos < s.count, s[pos] == 101 || s[pos] == 69 {
      var q = pos + 1
      if q < s.count, s[q] == 43 || s[q] == 45 { q += 1 }
      if q < s.count, Self.isDigit(s[q]) {
        while q < s.count, Self.isDigit(s[q]) { q += 1 }
        pos = q
      }
    }
    let text = String(decoding: s[start..<pos], as: UTF8.self)
    guard
      let r = MathRational(decimalLiteral: Substring(text.hasSuffix(".") ? String(text.dropLast()) : text))
    else { return nil }
    if pos < s.count, s[pos] == 95 { return nil }  // `204_5`: a base-b numeral, compared as a string
    // Mixed number `1\frac{4}{5}` = 1 + 4/5 (integer followed directly by an integer fraction).
    let save = pos
    skipSpaces()
    if intEnd == save, r.signum >= 0, commandAt(pos) == "frac" {
      pos += 5
      if let f = parseArgument(), case .number(let n) = f, n.isInteger, let g = parseArgument(),
        case .number(let d) = g, d.isInteger, let q = n / d, let sum = r + q
      {
        return .number(sum)
      }
    }
    pos = save
    return .number(r)
  }

  private mutating func parseLetters(singleLetter: Bool) -> MathExpr? {
    var q = pos
    while q < s.count, Self.isLetter(s[q]) { q += 1 }
    // Three or more letters in a row is a word, not a product of variables.
    if q - pos >= 3 && !singleLetter { return nil }
    let c = s[pos]
    pos += 1
    var name = String(decoding: [c], as: UTF8.self)
    if peek == 95 {  // subscript: x_1, a_{n}
      pos += 1
      guard let sub = subscriptText() else { return nil }
      name += "_" + sub
      return .variable(name)
    }
    if name == "e" { return .constant("e") }
    if name == "i" { return .constant("i") }
    return .variable(name)
  }

  private mutating func subscriptText() -> String? {
    guard let c = peek else { return nil }
    if c == 123 {
      var q = pos + 1
      while q < s.count, s[q] != 125 { q += 1 }
      guard q < s.count, q - pos <= 20 else { return nil }
      let t = String(decoding: s[(pos + 1)..<q], as: UTF8.self)
      pos = q + 1
      return t
    }
    // `a_37` (from `a_{37}`): a digit subscript runs to its last digit.
    var q = pos + 1
    if Self.isDigit(c) { while q < s.count, Self.isDigit(s[q]) { q += 1 } }
    let t = String(decoding: s[pos..<q], as: UTF8.self)
    pos = q
    return t
  }

  private mutating func parseCommand() -> MathExpr? {
    guard let cmd = consumeCommand() else { return nil }
    switch cmd {
    case "frac":
      guard let a = parseArgument(), let b = parseArgument() else { return nil }
      return .div(a, b)
    case "binom":
      guard let a = parseArgument(), let b = parseArgument() else { return nil }
      return .call("binom", [a, b])
    case "sqrt":
      skipSpaces()
      if peek == 91 {
        pos += 1
        guard let n = parseSum(), expect(93), let x = parseArgument() else { return nil }
        return .call("root", [n, x])
      }
      guard let x = parseArgument() else { return nil }
      return .call("sqrt", [x])
    case "pi": return .constant("pi")
    case "infty": return .infinity
    case "sum", "prod":
      // `\sum_{k=0}^{n-1} body`: kept whole as an uninterpreted function of its bounds and body
      // (see `MathFunctions.opaque`), so equal bodies (`F_k F_{n-k-1}` vs `F_{n-k-1} F_k`) match.
      skipSpaces()
      guard expect(95), expect(123) else { return nil }
      let close = s[pos...].firstIndex(of: 125) ?? s.count
      let lower = String(decoding: s[pos..<close], as: UTF8.self)
      pos = close
      guard expect(125) else { return nil }
      let eq = lower.split(separator: "=", maxSplits: 1)
      guard eq.count == 2, let start = Self.parse(String(eq[1])) else { return nil }
      skipSpaces()
      guard expect(94), let upper = parseArgument(), let body = parseProduct() else { return nil }
      return .call(cmd, [.variable(String(eq[0]).trimmingCharacters(in: .whitespaces)), start, upper, body])
    case "lfloor", "lceil":
      guard let x = parseSum(), let close = consumeCommand(), close == (cmd == "lfloor" ? "rfloor" : "rceil")
      else { return nil }
      return .call(cmd == "lfloor" ? "floor" : "ceil", [x])
    case "operatorname", "mathrm":
      skipSpaces()
      guard expect(123), let name = wordUntilBrace() else { return nil }
      return parseFunction(name)
    default:
      if Self.greek.contains(cmd) {
        var name = cmd
        if peek == 95 {
          pos += 1
          guard let sub = subscriptText() else { return nil }
          name += "_" + sub
        }
        return .variable(name)
      }
      if Self.functionCommands.contains(cmd) { return parseFunction(cmd) }
      return nil
    }
  }

  private mutating func wordUntilBrace() -> String? {
    let start = pos
    while pos < s.count, Self.isLetter(s[pos]) { pos += 1 }
    guard pos > start, peek == 125 else { return nil }
    let w = String(decoding: s[start..<pos], as: UTF8.self)
    pos += 1
    return w
  }

  /// `\sin x`, `\sin^2 x`, `\log_2 8`, `\ln(x+1)`: the argument is a parenthesised group or the
  /// implicit product of the factors that follow (`\sin 2x` = sin(2x)).
  private mutating func parseFunction(_ name: String) -> MathExpr? {
    guard MathFunctions.names.contains(name) else { return nil }
    var base: MathExpr? = nil
    var power: MathExpr? = nil
    skipSpaces()
    if name == "log", peek == 95 {
      pos += 1
      guard let b = parseArgument() else { return nil }
      base = b
    }
    skipSpaces()
    if peek == 94 {
      pos += 1
      guard let p = parseArgument() else { return nil }
      power = p
    }
    skipSpaces()
    var arg: MathExpr
    if peek == 40 {
      pos += 1
      guard let a = parseSum(), expect(41) else { return nil }
      arg = a
    } else {
      guard let a = parsePower() else { return nil }
      arg = a
      skipSpaces()
      while startsPrimary(), !(peek == 92 && Self.functionCommands.contains(commandAt(pos) ?? "")) {
        guard let r = parsePower() else { return nil }
        arg = .mul(arg, r)
        skipSpaces()
      }
    }
    var f: MathExpr = base.map { .call("log", [$0, arg]) } ?? .call(name, [arg])
    if let p = power {
      // `\sin^{-1}` is the inverse function, not a reciprocal.
      if case .neg(.number(let one)) = p, one == .one, ["sin", "cos", "tan"].contains(name) {
        f = .call("arc" + name, [arg])
      } else {
        f = .pow(f, p)
      }
    }
    return f
  }
}
