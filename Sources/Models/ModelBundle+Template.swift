import Foundation
import Tokenizers

extension ModelBundle {
  /// The chat template of a model without loading its weights: a `.gguf` file's
  /// `tokenizer.chat_template` (the file is mapped, only its metadata is read), or a checkpoint
  /// directory's tokenizer_config.json `chat_template` (`.plain` when the directory has none).
  ///
  /// Why: stage 0 through a server (`s2r collect --api-base`) writes SFT records in the chat format
  /// of the model to be trained, which the server does not report; pointing at that model's file
  /// is less error-prone than naming its template.
  public static func chatTemplate(of url: URL) throws -> ChatTemplate {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw CheckpointError.io(path: url.path, reason: "no such file or directory")
    }
    if !isDirectory.boolValue {
      guard url.pathExtension.lowercased() == "gguf" else {
        throw CheckpointError.io(path: url.path, reason: "expected a .gguf file or a checkpoint directory")
      }
      return ChatTemplate(detectingFrom: try GGUFFile(url: url).tokenizerMetadata().chatTemplate)
    }
    let configURL = url.appendingPathComponent(tokenizerConfigFile)
    guard FileManager.default.fileExists(atPath: configURL.path) else { return .plain }
    return ChatTemplate(detectingFrom: chatTemplateSource(try tokenizerSettings(configURL)["chat_template"]))
  }
}
