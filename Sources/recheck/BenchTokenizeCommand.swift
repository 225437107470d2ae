import ArgumentParser
import Foundation
import Tokenizers

/// `recheck bench tokenize`: byte-level BPE encode throughput (MB/s of UTF-8 input) over the lines
/// of a text file, cold (fresh word cache) and warm, next to llama.cpp's tokenizer (the peer, run
/// through Scripts/bench-tokenize-peer.py when `--peer-python` names a Python with llama-cpp-python).
/// Times are thread CPU time, so other processes on the shared 2-core machine do not skew the ratio.
struct BenchTokenizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokenize", abstract: "BPE encode throughput vs llama.cpp's tokenizer.")

  @Option(help: "HF tokenizer.json, or the GGUF tokenizer dump written by Scripts/make-smollm2-fixture.sh.")
  var tokenizer: String
  @Option(help: "UTF-8 text file; each line is encoded separately.")
  var text: String
  @Option(help: "Warm passes to time.")
  var repeats: Int = 3
  @Option(help: "Python with llama-cpp-python, to time the peer on the same lines.")
  var peerPython: String?
  @Option(help: "GGUF model for the peer (its vocabulary only is loaded).")
  var peerGGUF: String?

  func run() throws {
    let lines = try String(contentsOfFile: text, encoding: .utf8).split(separator: "\n").map(String.init)
    let megabytes = Double(lines.reduce(0) { $0 + $1.utf8.count }) / 1e6
    let load = Date()
    let tok = try Self.loadTokenizer(tokenizer)
    print(String(format: "load tokenizer: %.2f s", Date().timeIntervalSince(load)))

    func cpuSeconds() -> Double {
      var ts = timespec()
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
      return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
    func pass() -> (seconds: Double, tokens: Int) {
      let start = cpuSeconds()
      var n = 0
      for line in lines { n += tok.encode(line).count }
      return (cpuSeconds() - start, n)
    }
    let cold = pass()
    var warm = Double.infinity
    for _ in 0..<max(1, repeats) { warm = min(warm, pass().seconds) }
    print(String(format: "input: %d lines, %.2f MB, %d tokens", lines.count, megabytes, cold.tokens))
    print(
      String(format: "recheck cold: %.1f MB/s   warm: %.1f MB/s", megabytes / cold.seconds, megabytes / warm))

    guard let python = peerPython, let gguf = peerGGUF else {
      print("peer: not run (pass --peer-python and --peer-gguf)")
      return
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = [
      "Scripts/bench-tokenize-peer.py", "--gguf", gguf, "--text", text, "--repeats", "\(repeats)",
    ]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard p.terminationStatus == 0, let peer = Double(out.trimmingCharacters(in: .whitespacesAndNewlines))
    else {
      throw ValidationError("peer benchmark failed: \(out)")
    }
    print(
      String(
        format: "llama.cpp (peer): %.1f MB/s   ratio recheck-warm/peer: %.2fx", peer, megabytes / warm / peer)
    )
  }

  /// Loads a HF tokenizer.json, or a GGUF tokenizer dump ({"tokens", "merges", "token_type", …}).
  static func loadTokenizer(_ path: String) throws -> BPETokenizer {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let d = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw ValidationError("\(path): not a JSON object")
    }
    if d["model"] is [String: Any] { return try BPETokenizer(tokenizerJSON: data) }
    guard let tokens = d["tokens"] as? [String], let merges = d["merges"] as? [String] else {
      throw ValidationError("\(path): neither tokenizer.json nor a GGUF tokenizer dump")
    }
    return try BPETokenizer(
      gguf: GGUFTokenizerMetadata(
        model: d["model"] as? String ?? "gpt2", pre: d["pre"] as? String, tokens: tokens, merges: merges,
        tokenTypes: (d["token_type"] as? [Int])?.map { Int32($0) }, bosTokenID: d["bos_token_id"] as? Int,
        eosTokenID: d["eos_token_id"] as? Int, unknownTokenID: d["unknown_token_id"] as? Int,
        paddingTokenID: d["padding_token_id"] as? Int, addBOSToken: d["add_bos_token"] as? Bool))
  }
}
