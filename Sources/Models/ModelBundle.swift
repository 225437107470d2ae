import Foundation
import TensorCore
import Tokenizers

/// Everything needed to run a model on text: weights, tokenizer and chat format, loaded from one
/// path. Two layouts are understood:
///
/// - a `.gguf` file (llama.cpp): weights (Q8_0/Q4_0/Q4_1 kept quantized unless asked otherwise),
///   tokenizer from `tokenizer.ggml.*`, template detected from `tokenizer.chat_template`;
/// - a checkpoint directory (Recheck or Hugging Face layout, see `CheckpointDirectory`):
///   `config.json` + `model.safetensors` + `tokenizer.json`, the latter either a Recheck
///   `CharTokenizer` file (format tag `recheck.char-tokenizer.v1`) or a Hugging Face BPE
///   tokenizer.json. An optional Hugging Face `tokenizer_config.json` supplies the BOS/EOS/PAD
///   token strings and the Jinja `chat_template` (absent: `.plain`).
public struct ModelBundle {
  public static let tokenizerFile = "tokenizer.json"
  public static let tokenizerConfigFile = "tokenizer_config.json"
  /// The format tag of `CharTokenizer.jsonData()` (ModelBundleTests round-trips a written file).
  static let charTokenizerFormat = "recheck.char-tokenizer.v1"

  public let model: Transformer
  public let tokenizer: any Tokenizer
  public let template: ChatTemplate
  /// The Jinja source the template was detected from (GGUF `tokenizer.chat_template` or
  /// tokenizer_config.json `chat_template`), kept to write it back out with trained weights.
  public let chatTemplateSource: String?
  /// Ids that end a reply: the tokenizer's EOS, the config's `eos_token_id`s, and the template's
  /// end-of-turn token when it is a single token (e.g. `<|im_end|>`).
  public let stopTokenIDs: [Int]

  public init(
    model: Transformer, tokenizer: any Tokenizer, template: ChatTemplate, chatTemplateSource: String? = nil
  ) {
    self.model = model
    self.tokenizer = tokenizer
    self.template = template
    self.chatTemplateSource = chatTemplateSource
    var stops = Set(model.config.eosTokenIds)
    if let eos = tokenizer.eosTokenID { stops.insert(eos) }
    if let eot = tokenizer.specialTokenID(template.endOfTurn) { stops.insert(eot) }
    stopTokenIDs = stops.sorted()
  }

  /// Loads a `.gguf` file or a checkpoint directory (see the type's comment). `keepQuantized`
  /// applies to GGUF only: true keeps quantized weights (inference-only, llama.cpp's kernels),
  /// false dequantises everything to Float32. `dtype` `.float64` runs a directory's (or a dequantised
  /// GGUF's) model in Double (see `Transformer.init(config:source:dtype:)`).
  public static func load(_ url: URL, keepQuantized: Bool = true, dtype: DType = .float32) throws
    -> ModelBundle
  {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw CheckpointError.io(path: url.path, reason: "no such file or directory")
    }
    if !isDirectory.boolValue {
      guard url.pathExtension.lowercased() == "gguf" else {
        throw CheckpointError.io(
          path: url.path, reason: "expected a .gguf file or a checkpoint directory (config.json, …)")
      }
      let checkpoint = try GGUFCheckpoint(url: url)
      let tokenizerMetadata = try checkpoint.file.tokenizerMetadata()
      let tokenizer = try BPETokenizer(gguf: tokenizerMetadata)
      let model =
        keepQuantized && dtype == .float32
        ? try Transformer(quantized: checkpoint)
        : try Transformer(config: checkpoint.config, source: checkpoint, dtype: dtype)
      return ModelBundle(
        model: model, tokenizer: tokenizer,
        template: ChatTemplate(detectingFrom: tokenizerMetadata.chatTemplate),
        chatTemplateSource: tokenizerMetadata.chatTemplate)
    }
    let directory = try CheckpointDirectory(url: url)
    let (tokenizer, template, source) = try loadTokenizer(in: directory)
    guard tokenizer.vocabSize <= directory.config.vocabSize else {
      throw CheckpointError.malformed(
        path: url.path,
        reason:
          "tokenizer has \(tokenizer.vocabSize) ids but the model's vocab_size is \(directory.config.vocabSize)"
      )
    }
    let model = try Transformer(config: directory.config, source: directory.tensors, dtype: dtype)
    return ModelBundle(model: model, tokenizer: tokenizer, template: template, chatTemplateSource: source)
  }

  /// The tokenizer and template of a checkpoint directory.
  static func loadTokenizer(in directory: CheckpointDirectory) throws -> (
    any Tokenizer, ChatTemplate, String?
  ) {
    guard let tokenizerURL = directory.file(named: tokenizerFile) else {
      throw CheckpointError.io(
        path: directory.url.path, reason: "no \(tokenizerFile) in the checkpoint directory")
    }
    let data = try readFile(tokenizerURL)
    let root = try jsonObject(data, path: tokenizerURL.path)
    let settings = try directory.file(named: tokenizerConfigFile).map(tokenizerSettings) ?? [:]
    let source = chatTemplateSource(settings["chat_template"])
    let template = ChatTemplate(detectingFrom: source)
    if root["format"] as? String == charTokenizerFormat {
      return (try CharTokenizer(jsonData: data), template, source)
    }
    let bpe = try BPETokenizer(
      tokenizerJSON: data, bosToken: tokenString(settings["bos_token"]),
      eosToken: tokenString(settings["eos_token"]), padToken: tokenString(settings["pad_token"]))
    return (bpe, template, source)
  }

  /// A checkpoint file's bytes; an unreadable file is a `CheckpointError.io` naming it.
  static func readFile(_ url: URL) throws -> Data {
    do { return try Data(contentsOf: url) } catch {
      throw CheckpointError.io(path: url.path, reason: error.localizedDescription)
    }
  }

  /// The fields of a tokenizer_config.json.
  static func tokenizerSettings(_ url: URL) throws -> [String: Any] {
    try jsonObject(readFile(url), path: url.path)
  }

  static func jsonObject(_ data: Data, path: String) throws -> [String: Any] {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw CheckpointError.malformed(path: path, reason: "not a JSON object")
    }
    return object
  }

  /// tokenizer_config.json writes a special token as a string or as `{"content": "…", …}`.
  static func tokenString(_ value: Any?) -> String? {
    if let s = value as? String { return s }
    return (value as? [String: Any])?["content"] as? String
  }

  /// `chat_template` is one Jinja string, or a list of `{"name", "template"}` (use "default").
  static func chatTemplateSource(_ value: Any?) -> String? {
    if let s = value as? String { return s }
    guard let list = value as? [[String: Any]] else { return nil }
    let named = list.first { $0["name"] as? String == "default" } ?? list.first
    return named?["template"] as? String
  }
}
