import Generation

/// One attempt y_t of a SCoRe episode: what the model was given, what it sampled, and the
/// verifier's verdict.
public struct SCoReAttempt: Sendable, Codable, Equatable {
  /// The context x_t the attempt was sampled from (`x ⊕ y1 ⊕ p ⊕ … ⊕ y_{t−1} ⊕ p`).
  public var prompt: Prompt
  public var text: String
  /// Sampled ids (a final stop token included); only these carry gradient for turn t (§1.4 (b)).
  public var tokens: [Int]
  /// log π_θ of each sampled token at sampling time (old-policy log-probs).
  public var logProbs: [Double]
  public var finishReason: FinishReason
  /// r̂(y_t, y*) from the checker (1 = correct, 0 = wrong for the paper's binary rewards).
  public var reward: Double
  public var extractedAnswer: String?

  public init(
    prompt: Prompt, text: String, tokens: [Int], logProbs: [Double], finishReason: FinishReason,
    reward: Double, extractedAnswer: String?
  ) {
    self.prompt = prompt
    self.text = text
    self.tokens = tokens
    self.logProbs = logProbs
    self.finishReason = finishReason
    self.reward = reward
    self.extractedAnswer = extractedAnswer
  }

  /// Full marks: the checkers emit exactly 1 for a correct answer / all tests passing, so a
  /// partial score (e.g. a fraction of tests) never counts as correct.
  public var isCorrect: Bool { reward >= 1 }
}

/// A multi-attempt trace for one problem: `attempts[0]` is y1, `attempts[1]` is y2, ….
/// `sample` is the index j of the episode within its problem's k-group (the RLOO group).
public struct SCoReEpisode: Sendable, Codable, Equatable {
  public var problemID: String
  public var sample: Int
  public var attempts: [SCoReAttempt]

  public init(problemID: String, sample: Int, attempts: [SCoReAttempt]) {
    self.problemID = problemID
    self.sample = sample
    self.attempts = attempts
  }

  /// r̂ of every attempt, in turn order.
  public var rewards: [Double] { attempts.map(\.reward) }
  /// Correctness of every attempt, in turn order.
  public var correctness: [Bool] { attempts.map(\.isCorrect) }
}
