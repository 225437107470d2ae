import Foundation
import Generation
import Models
import Tokenizers

/// Builds the native `LanguageModel` for `recheck eval`: weights from a Hugging Face-layout directory
/// or a .gguf file (`Transformer.load(from:)`), the tokenizer from `--tokenizer` or next to the
/// weights (tokenizer.json, Recheck's char-tokenizer JSON, or the GGUF's own vocabulary), and the chat
/// template by name or guessed from the tokenizer's special tokens.
enum EvalModelLoader {
  static func native(model path: String, tokenizer tokenizerPath: String?, template name: String?) throws
    -> NativeLanguageModel
  {
    let url = URL(fileURLWithPath: path)
    let transformer = try Transformer.load(from: url)
    let tokenizer = try loadTokenizer(model: url, explicit: tokenizerPath)
    let template = try name.map { try ChatTemplate(named: $0) } ?? guessTemplate(tokenizer, model: url)
    return NativeLanguageModel(
      name: url.lastPathComponent, model: transformer, tokenizer: tokenizer, template: template)
  }

  static func loadTokenizer(model url: URL, explicit: String?) throws -> any Tokenizer {
    if let explicit { return try tokenizerFile(URL(fileURLWithPath: explicit), configDir: nil) }
    if url.pathExtension.lowercased() == "gguf" { return try ggufTokenizer(url) }
    for name in ["tokenizer.json", "char_tokenizer.json", "tokenizer.char.json"] {
      let candidate = url.appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: candidate.path) {
        return try tokenizerFile(candidate, configDir: url)
      }
    }
    throw EvalCLIError("no tokenizer next to \(url.path) (tokenizer.json); pass --tokenizer FILE")
  }

  /// A HF tokenizer.json (BOS/EOS/PAD from a sibling tokenizer_config.json) or a char tokenizer.
  static func tokenizerFile(_ url: URL, configDir: URL?) throws -> any Tokenizer {
    let data = try Data(contentsOf: url)
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    if object?["format"] as? String == "recheck.char-tokenizer.v1" {
      return try CharTokenizer(jsonData: data)
    }
    let configURL = (configDir ?? url.deletingLastPathComponent()).appendingPathComponent(
      "tokenizer_config.json")
    var special: [String: String] = [:]
    if let d = try? Data(contentsOf: configURL),
      let config = try? JSONSerialization.jsonObject(with: d) as? [String: Any]
    {
      for key in ["bos_token", "eos_token", "pad_token"] {
        if let s = config[key] as? String {
          special[key] = s
        } else if let s = (config[key] as? [String: Any])?["content"] as? String {
          special[key] = s
        }
      }
    }
    return try BPETokenizer(
      tokenizerJSON: data, bosToken: special["bos_token"], eosToken: special["eos_token"],
      padToken: special["pad_token"])
  }

  /// The vocabulary stored in a GGUF file's `tokenizer.ggml.*` metadata (llama.cpp's layout).
  static func ggufTokenizer(_ url: URL) throws -> any Tokenizer {
    let meta = try GGUFFile(url: url).metadata
    guard let tokens = meta["tokenizer.ggml.tokens"]?.stringArray else {
      throw EvalCLIError("\(url.path) has no tokenizer.ggml.tokens; pass --tokenizer FILE")
    }
    return try BPETokenizer(
      gguf: GGUFTokenizerMetadata(
        model: meta["tokenizer.ggml.model"]?.stringValue ?? "gpt2",
        pre: meta["tokenizer.ggml.pre"]?.stringValue,
        tokens: tokens, merges: meta["tokenizer.ggml.merges"]?.stringArray ?? [],
        tokenTypes: meta["tokenizer.ggml.token_type"]?.arrayValue?.compactMap { $0.intValue.map(Int32.init) },
        bosTokenID: meta["tokenizer.ggml.bos_token_id"]?.intValue,
        eosTokenID: meta["tokenizer.ggml.eos_token_id"]?.intValue,
        unknownTokenID: meta["tokenizer.ggml.unknown_token_id"]?.intValue,
        paddingTokenID: meta["tokenizer.ggml.padding_token_id"]?.intValue,
        addBOSToken: meta["tokenizer.ggml.add_bos_token"]?.boolValue,
        chatTemplate: meta["tokenizer.chat_template"]?.stringValue))
  }

  /// ChatML when the vocabulary has `<|im_start|>` (SmolLM2's variant when its template or name says
  /// so), Llama-3 with `<|eot_id|>`, plain otherwise.
  static func guessTemplate(_ tokenizer: any Tokenizer, model: URL) -> ChatTemplate {
    if tokenizer.specialTokenID("<|im_start|>") != nil {
      return model.path.lowercased().contains("smollm") ? .smolLM2 : .chatML(defaultSystemPrompt: nil)
    }
    if tokenizer.specialTokenID("<|eot_id|>") != nil { return .llama3 }
    return .plain
  }
}

struct EvalCLIError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}
