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

/// `POST /run_code`, the subset of SandboxFusion's request that verl's code reward sends
/// (`verl/utils/reward_score/sandbox_fusion/utils.py`). Only `python` is supported; `files` and
/// `fetch_files` must be empty.
public struct RunCodeRequest: Decodable, Sendable {
  public var code: String
  public var language: String
  public var stdin: String
  public var compileTimeout: Double?
  public var runTimeout: Double?
  public var memoryLimitMB: Int?
  public var files: [String: String]
  public var fetchFiles: [String]

  enum CodingKeys: String, CodingKey {
    case code, language, stdin, files
    case compileTimeout = "compile_timeout"
    case runTimeout = "run_timeout"
    case memoryLimitMB = "memory_limit_MB"
    case fetchFiles = "fetch_files"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    code = try c.decode(String.self, forKey: .code)
    language = try c.decodeIfPresent(String.self, forKey: .language) ?? "python"
    stdin = try c.decodeIfPresent(String.self, forKey: .stdin) ?? ""
    compileTimeout = try c.decodeIfPresent(Double.self, forKey: .compileTimeout)
    runTimeout = try c.decodeIfPresent(Double.self, forKey: .runTimeout)
    memoryLimitMB = try c.decodeIfPresent(Int.self, forKey: .memoryLimitMB)
    files = try c.decodeIfPresent([String: String].self, forKey: .files) ?? [:]
    fetchFiles = try c.decodeIfPresent([String].self, forKey: .fetchFiles) ?? []
  }
}

/// SandboxFusion's `RunCodeResponse`: `status` is `Success` (ran, exit 0), `Failed` (ran but
/// failed or timed out) or `SandboxError`; `run_result.status` is `Finished`, `TimeLimitExceeded`
/// or `Error`. `compile_result` is null for Python.
public struct RunCodeResponse: Codable, Sendable, Equatable {
  public struct RunResult: Codable, Sendable, Equatable {
    public var status: String
    public var executionTime: Double?
    public var returnCode: Int?
    public var stdout: String?
    public var stderr: String?

    enum CodingKeys: String, CodingKey {
      case status, stdout, stderr
      case executionTime = "execution_time"
      case returnCode = "return_code"
    }
  }

  public var status: String
  public var message: String
  public var compileResult: RunResult?
  public var runResult: RunResult?
  public var files: [String: String]

  enum CodingKeys: String, CodingKey {
    case status, message, files
    case compileResult = "compile_result"
    case runResult = "run_result"
  }

  /// SandboxFusion's answer for an outcome of our executor.
  public init(_ o: ProgramOutcome) {
    let run: RunResult
    switch o.status {
    case .finished:
      run = RunResult(
        status: "Finished", executionTime: o.seconds, returnCode: o.exitCode, stdout: o.stdout,
        stderr: o.stderr)
      status = o.exitCode == 0 ? "Success" : "Failed"
    case .timeLimitExceeded:
      run = RunResult(
        status: "TimeLimitExceeded", executionTime: o.seconds, returnCode: o.exitCode, stdout: o.stdout,
        stderr: o.stderr)
      status = "Failed"
    case .memoryLimitExceeded:
      run = RunResult(
        status: "Error", executionTime: o.seconds, returnCode: o.exitCode, stdout: o.stdout, stderr: o.stderr)
      status = "Failed"
    case .sandboxError:
      run = RunResult(
        status: "Error", executionTime: o.seconds, returnCode: o.exitCode, stdout: o.stdout, stderr: o.stderr)
      status = "SandboxError"
    }
    message = o.message
    compileResult = nil
    runResult = run
    files = [:]
  }
}
