import Foundation
import Models
import Tokenizers
import XCTest

@testable import recheck

/// `--template NAME|MODEL`: a name, or a model whose own template is read without its weights.
final class S2RSupportTests: XCTestCase {
  func testTemplateFromNameHuggingFaceDirectoryAndGGUF() throws {
    XCTAssertEqual(try S2RSupport.template("llama3"), .llama3)
    XCTAssertThrowsError(try S2RSupport.template("no-such-template")) { error in
      XCTAssertTrue("\(error)".contains("not a template name"), "\(error)")
    }

    // A Hugging Face directory: tokenizer_config.json's chat_template (no weights needed); a
    // directory without one is plain.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tmpl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    XCTAssertEqual(try S2RSupport.template(dir.path), .plain)
    let jinja =
      "{% for m in messages %}{{'<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>'}}{% endfor %}"
    let config = try JSONSerialization.data(withJSONObject: ["chat_template": jinja])
    try config.write(to: dir.appendingPathComponent("tokenizer_config.json"))
    XCTAssertEqual(try S2RSupport.template(dir.path), .chatML(defaultSystemPrompt: nil))
    let notModel = dir.appendingPathComponent("weights.bin")
    try Data([1]).write(to: notModel)
    XCTAssertThrowsError(try S2RSupport.template(notModel.path))

    // The SmolLM2 GGUF: the same template as loading the whole model.
    let gguf = S2RRLCommandSmolLM2Tests.modelURL
    guard FileManager.default.fileExists(atPath: gguf.path) else {
      throw XCTSkip("SKIPPING the GGUF half: \(gguf.path) is absent — run `bash Scripts/fetch-smollm2.sh`")
    }
    XCTAssertEqual(try S2RSupport.template(gguf.path), .smolLM2)
    XCTAssertEqual(try S2RSupport.template(gguf.path), try ModelBundle.load(gguf).template)
  }
}
