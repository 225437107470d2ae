import Tokenizers

/// How S²R RL (online and offline) reads one tokenizer's prompts and responses: how a prompt's text
/// is encoded, which ids end a sampled response (spec §9.4: EOS and the chat template's end-of-turn
/// token), which id closes a stored response, and how responses are cut into actions.
///
/// - `plain` (synthetic char models): plain encoding, EOS only, markers by token ids
///   (`S2RActionParser.parse`) — what S²R RL did before real checkpoints.
/// - `chat` (models with a chat template, e.g. a GGUF's BPE): the prompt is the template's rendered
///   text, encoded with special tokens parsed exactly as `recheck sft` encodes the stage-0 prompts
///   (`EncodeOptions.special`), so RL samples from the layout behaviour initialisation trained on;
///   responses stop on EOS or end-of-turn and a stored response is closed by end-of-turn (as sft
///   appends it). A byte-level BPE can merge a marker with its neighbours (one token for
///   `"\n\nWait"`, `",\n"`), so a BPE's markers are found in the decoded text
///   (`S2RActionParser.parseText`).
public struct S2RResponseLayout: Sendable, Equatable {
  public var promptOptions: EncodeOptions
  /// Ids that end a sampled response.
  public var stopIDs: Set<Int>
  /// The id appended to a stored (offline) response, nil when the tokenizer has none.
  public var endID: Int?
  /// Markers by text (`parseText`) instead of by token ids (`parse`).
  public var textMarkers: Bool

  public init(promptOptions: EncodeOptions, stopIDs: Set<Int>, endID: Int?, textMarkers: Bool) {
    self.promptOptions = promptOptions
    self.stopIDs = stopIDs
    self.endID = endID
    self.textMarkers = textMarkers
  }

  /// Synthetic prompts and char tokenizers: plain encoding, EOS stops and closes, token-level markers.
  public static func plain(_ tokenizer: some Tokenizer) -> S2RResponseLayout {
    S2RResponseLayout(
      promptOptions: .plain, stopIDs: Set([tokenizer.eosTokenID].compactMap { $0 }),
      endID: tokenizer.eosTokenID,
      textMarkers: false)
  }

  /// A chat model's rendered prompts: special tokens parsed, EOS and `endOfTurn` stop, `endOfTurn`
  /// (else EOS) closes a stored response; markers by text when `textMarkers` (a BPE tokenizer).
  public static func chat(_ tokenizer: some Tokenizer, endOfTurn: String, textMarkers: Bool)
    -> S2RResponseLayout
  {
    let eot = tokenizer.specialTokenID(endOfTurn)
    return S2RResponseLayout(
      promptOptions: .special, stopIDs: Set([tokenizer.eosTokenID, eot].compactMap { $0 }),
      endID: eot ?? tokenizer.eosTokenID, textMarkers: textMarkers)
  }

  /// The RL-style action parser stopping on `stopIDs`.
  public func parser(_ tokenizer: some Tokenizer) -> S2RActionParser {
    S2RActionParser(markers: S2RMarkers(tokenizer: tokenizer, style: .rl, stopIDs: stopIDs))
  }

  /// Prompt ids of a prompt text.
  public func encodePrompt(_ text: String, tokenizer: some Tokenizer) -> [Int] {
    tokenizer.encode(text, options: promptOptions)
  }

  /// `ids` cut into actions by the parse this layout uses.
  public func parse(_ ids: [Int], parser: S2RActionParser, tokenizer: some Tokenizer) -> S2RParsedResponse {
    textMarkers ? parser.parseText(ids, tokenizer: tokenizer) : parser.parse(ids)
  }

  /// A rollout of `ids` parsed by this layout's parse.
  public func rollout(_ ids: [Int], parser: S2RActionParser, tokenizer: some Tokenizer) -> S2RRollout {
    S2RRollout(
      ids: ids, parsed: parse(ids, parser: parser, tokenizer: tokenizer), decode: { tokenizer.decode($0) })
  }
}
