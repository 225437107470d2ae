import XCTest

@testable import Tokenizers

final class ChatTemplateTests: XCTestCase {
  let convo: [ChatMessage] = [.user("What is 2+2?"), .assistant("4"), .user("And 3+3?")]

  func testSmolLM2InsertsDefaultSystemPrompt() {
    // Expected string follows SmolLM2-135M-Instruct's Jinja template (GGUF tokenizer.chat_template).
    let expected =
      "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
      + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n"
      + "<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n"
    XCTAssertEqual(ChatTemplate.smolLM2.render(convo, addGenerationPrompt: true), expected)
  }

  func testChatMLKeepsGivenSystemPromptAndOmitsGenerationPrompt() {
    let msgs: [ChatMessage] = [.system("Be terse."), .user("Hi")]
    XCTAssertEqual(
      ChatTemplate.smolLM2.render(msgs, addGenerationPrompt: false),
      "<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n")
    XCTAssertEqual(
      ChatTemplate.chatML(defaultSystemPrompt: nil).render([.user("Hi")], addGenerationPrompt: true),
      "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
  }

  func testLlama3() {
    let s = ChatTemplate.llama3.render([.system("  sys \n"), .user("Hi")], addGenerationPrompt: true)
    XCTAssertEqual(
      s,
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nsys<|eot_id|>"
        + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
        + "<|start_header_id|>assistant<|end_header_id|>\n\n")
  }

  func testPlainAndNames() throws {
    XCTAssertEqual(
      ChatTemplate.plain.render([.user("2+2?")], addGenerationPrompt: true), "User: 2+2?\n\nAssistant:")
    XCTAssertEqual(try ChatTemplate(named: "SmolLM2"), .smolLM2)
    XCTAssertEqual(try ChatTemplate(named: "llama3"), .llama3)
    XCTAssertThrowsError(try ChatTemplate(named: "jinja")) { e in
      XCTAssertEqual(e as? TokenizerError, .unknownTemplate("jinja"))
    }
  }

  func testRenderedChatMLEncodesSpecialTokens() throws {
    let t = try makeByteLevelTokenizer(merges: [], specials: ["<|im_start|>", "<|im_end|>"])
    let ids = t.encodeWithSpecial(
      ChatTemplate.chatML(defaultSystemPrompt: nil).render([.user("x")], addGenerationPrompt: true))
    let s = t.specialTokenID("<|im_start|>")!
    let e = t.specialTokenID("<|im_end|>")!
    // <|im_start|> u s e r \n x <|im_end|> \n <|im_start|> a s s i s t a n t \n
    XCTAssertEqual(ids.filter { $0 == s }.count, 2)
    XCTAssertEqual(ids.filter { $0 == e }.count, 1)
    XCTAssertEqual(ids.first, s)
  }
}
