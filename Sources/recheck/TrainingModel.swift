import ArgumentParser
import Foundation
import Models
import Rollouts
import Tokenizers

/// The model a training command starts from, and how its checkpoints are written. One loader for
/// `sft`, `s2r rl`, `score train` and the `score` baselines:
///
/// - `FILE.gguf`: weights dequantised to Float32 for training, tokenizer and chat template from the
///   file (`ModelBundle.load(keepQuantized: false)`);
/// - a Hugging Face directory (config.json, model.safetensors or a sharded index, tokenizer.json,
///   tokenizer_config.json with the chat template);
/// - a Recheck char-tokenizer directory (`char_tokenizer.json`, or a char `tokenizer.json`), and for
///   synthetic data a directory without a tokenizer when the synthetic alphabet fits its vocabulary.
///
/// Models with a BPE tokenizer are written as Hugging Face directories that transformers loads
/// (`HuggingFaceFiles`: tokenizer.json, tokenizer_config.json with the source's chat template,
/// generation_config.json); char models keep `char_tokenizer.json`.
struct TrainingModel {
  let bundle: ModelBundle
  var model: Transformer { bundle.model }
  var tokenizer: any Tokenizer { bundle.tokenizer }
  var template: ChatTemplate { bundle.template }
  /// Whether the tokenizer is a byte-level BPE one (a real checkpoint, not a synthetic char model).
  var isBPE: Bool { bundle.tokenizer is BPETokenizer }

  static let charTokenizerFile = "char_tokenizer.json"

  static func load(_ path: String, synthetic: Bool = false) throws -> TrainingModel {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ValidationError("\(path): no such file or directory")
    }
    do {
      guard isDirectory.boolValue else {
        return TrainingModel(bundle: try ModelBundle.load(url, keepQuantized: false))
      }
      let char = url.appendingPathComponent(charTokenizerFile)
      if FileManager.default.fileExists(atPath: char.path) {
        let model = try Transformer.load(from: url)
        return TrainingModel(
          bundle: ModelBundle(
            model: model,
            tokenizer: try fitting(CharTokenizer(jsonData: Data(contentsOf: char)), model, char.path),
            template: .plain))
      }
      if FileManager.default.fileExists(atPath: url.appendingPathComponent(ModelBundle.tokenizerFile).path) {
        return TrainingModel(bundle: try ModelBundle.load(url))
      }
      let model = try Transformer.load(from: url)
      let synth = SyntheticFormat.tokenizer()
      if synthetic && synth.vocabSize == model.config.vocabSize {
        return TrainingModel(bundle: ModelBundle(model: model, tokenizer: synth, template: .plain))
      }
    } catch let error as ValidationError {
      throw error
    } catch {
      throw ValidationError("\(path): cannot load the model: \(error)")
    }
    throw ValidationError(
      "\(path): no tokenizer next to the weights (expected tokenizer.json with tokenizer_config.json, "
        + "or Recheck's \(charTokenizerFile))")
  }

  static func fitting(_ char: CharTokenizer, _ model: Transformer, _ path: String) throws -> CharTokenizer {
    guard char.vocabSize <= model.config.vocabSize else {
      throw ValidationError("\(path): \(char.vocabSize) ids but vocab_size \(model.config.vocabSize)")
    }
    return char
  }

  /// The tokenizer file and further files every checkpoint of a model trained from this one carries.
  func checkpointFiles() throws -> (
    tokenizer: CheckpointDirectory.TokenizerFile?, files: [(name: String, data: Data)]
  ) {
    if let char = tokenizer as? CharTokenizer { return (try Self.charFile(char), []) }
    let hf = try HuggingFaceFiles(bundle: bundle)
    return (hf.tokenizer, hf.files)
  }

  /// A char tokenizer's file next to the weights (`char_tokenizer.json`).
  static func charFile(_ char: CharTokenizer) throws -> CheckpointDirectory.TokenizerFile {
    .data(try char.jsonData(), name: charTokenizerFile)
  }

  /// Writes `weights` (trained from this model) as a model directory with this model's tokenizer files.
  func save(_ weights: Transformer, to url: URL) throws {
    let (tokenizerFile, files) = try checkpointFiles()
    try weights.save(to: url, tokenizer: tokenizerFile, files: files)
  }
}
