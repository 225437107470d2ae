import Foundation
import Tokenizers

/// Shared test fixtures: the cached SmolLM2 GGUF and a tiny chat BPE.
public enum TestFixtures {
  /// SmolLM2-135M-Instruct Q4_1 where `Scripts/fetch-smollm2.sh` caches it
  /// ($RECHECK_CACHE, else $XDG_CACHE_HOME/recheck, else ~/.cache/recheck).
  public static var smolLM2GGUF: URL {
    let env = ProcessInfo.processInfo.environment
    let cache =
      env["RECHECK_CACHE"] ?? ((env["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")) + "/recheck")
    return URL(fileURLWithPath: cache).appendingPathComponent("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
  }

  /// A byte-level BPE with the chat specials: byte tokens 0–255 (id = byte value), `<|im_start|>`
  /// 256, `<|im_end|>` 257, `<|endoftext|>` 258 (EOS), and the always-parsed added token
  /// `"\n\nWait"` 259 — so the S²R check marker merges with its newlines, as real BPEs do.
  public static func chatBPEWithMergedWait() throws -> BPETokenizer {
    let bytes = (0..<256).map { String(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0])!) }
    return try BPETokenizer(
      gguf: GGUFTokenizerMetadata(
        tokens: bytes + ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "\n\nWait"], merges: [],
        tokenTypes: Array(repeating: 1, count: 256) + [3, 3, 3, 4], eosTokenID: 258))
  }
}
