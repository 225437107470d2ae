import Foundation

/// `POST /get_reward`, OpenRLHF's remote reward protocol (SCoRe spec §6.2): positional lists of
/// equal length (any length, 0 included). `labels[i]` may be a JSON string or, leniently, a JSON
/// object or number.
public struct GetRewardRequest: Decodable, Sendable {
  public var query: [String]
  public var prompts: [String]
  public var labels: [String]

  enum CodingKeys: String, CodingKey { case query, prompts, labels }

  public init(query: [String], prompts: [String], labels: [String]) {
    self.query = query
    self.prompts = prompts
    self.labels = labels
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    query = try c.decode([String].self, forKey: .query)
    prompts = try c.decodeIfPresent([String].self, forKey: .prompts) ?? []
    labels = try c.decode([LabelValue].self, forKey: .labels).map(\.text)
  }
}

/// A label as sent: a string, or an object/number that we turn back into its JSON text.
struct LabelValue: Decodable {
  var text: String

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let s = try? c.decode(String.self) {
      text = s
    } else if let label = try? c.decode(RewardLabel.self) {
      text = String(decoding: try JSONEncoder().encode(label), as: UTF8.self)
    } else {
      text = try c.decode(FlexibleString.self).value
    }
  }
}

/// `rewards` drive the advantage, `scores` are raw correctness in [0, 1], `extra_logs` are logged.
public struct GetRewardResponse: Codable, Sendable, Equatable {
  public var rewards: [Double]
  public var scores: [Double]
  public var extraLogs: [String: [Double]]

  enum CodingKeys: String, CodingKey {
    case rewards, scores
    case extraLogs = "extra_logs"
  }
}

/// `POST /verify`, the native batch API: `{"items": [{"id", "task", "response", "answer", …}]}`.
public struct VerifyRequest: Decodable, Sendable {
  public var items: [VerifyItem]
}

/// One item: an optional id echoed back, the response text, and the label fields inline.
public struct VerifyItem: Decodable, Sendable {
  public var id: String?
  public var response: String
  public var label: RewardLabel

  enum CodingKeys: String, CodingKey { case id, response }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decodeIfPresent(FlexibleString.self, forKey: .id)?.value
    response = try c.decode(String.self, forKey: .response)
    label = try RewardLabel(from: decoder)
  }
}

public struct VerifyResponse: Codable, Sendable, Equatable {
  public var results: [VerifyResult]
}

public struct VerifyResult: Codable, Sendable, Equatable {
  public var id: String?
  public var correct: Bool
  public var reward: Double
  public var score: Double
  public var extracted: String?
  public var rule: String
  public var detail: [String: Bool]
}
