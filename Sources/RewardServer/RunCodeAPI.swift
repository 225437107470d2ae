import Foundation
import Verifiers

/// `POST /run_code`: SandboxFusion's `RunCodeRequest` (bytedance/SandboxFusion,
/// `sandbox/server/sandbox_api.py`) as verl's code reward sends it
/// (`verl/utils/reward_score/sandbox_fusion/utils.py`, `call_sandbox_api`). Only `python` runs here.
/// `files` maps a relative path to base64 contents, placed in the work dir before the run;
/// `fetch_files` must be empty (verl always sends `[]`). Unknown keys are refused by name, so a client
/// expecting a feature we lack learns it instead of getting a silently different run.
public struct RunCodeRequest: Decodable, Sendable {
  public var code: String
  public var language: String
  public var stdin: String
  public var compileTimeout: Double?
  public var runTimeout: Double?
  public var memoryLimitMB: Int?
  public var files: [String: Data]

  enum CodingKeys: String, CodingKey, CaseIterable {
    case code, language, stdin, files
    case compileTimeout = "compile_timeout"
    case runTimeout = "run_timeout"
    case memoryLimitMB = "memory_limit_MB"
    case fetchFiles = "fetch_files"
  }

  struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public init(
    code: String, language: String = "python", stdin: String = "", runTimeout: Double? = nil,
    memoryLimitMB: Int? = nil, files: [String: Data] = [:]
  ) {
    self.code = code
    self.language = language
    self.stdin = stdin
    self.runTimeout = runTimeout
    self.memoryLimitMB = memoryLimitMB
    self.files = files
  }

  public init(from decoder: any Decoder) throws {
    let known = Set(CodingKeys.allCases.map(\.rawValue))
    if let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
      .filter({ !known.contains($0) }).sorted().first
    {
      throw RewardServiceError.badRequest(
        "\(unknown): unknown field (accepted: \(known.sorted().joined(separator: ", ")))")
    }
    let c = try decoder.container(keyedBy: CodingKeys.self)
    code = try c.decode(String.self, forKey: .code)
    language = try c.decodeIfPresent(String.self, forKey: .language) ?? "python"
    // SandboxFusion: `stdin: Optional[str] = None`; verl sends null when a test case has no input.
    stdin = try c.decodeIfPresent(String.self, forKey: .stdin) ?? ""
    compileTimeout = try c.decodeIfPresent(Double.self, forKey: .compileTimeout)
    runTimeout = try c.decodeIfPresent(Double.self, forKey: .runTimeout)
    memoryLimitMB = try c.decodeIfPresent(Int.self, forKey: .memoryLimitMB)
    let encoded = try c.decodeIfPresent([String: String?].self, forKey: .files) ?? [:]
    files = [:]
    for (path, contents) in encoded {
      if let problem = SandboxJob.problem(withFilePath: path) {
        throw RewardServiceError.badRequest("files[\"\(path)\"]: \(problem)")
      }
      // SandboxFusion allows a null value; it stands for an empty file here.
      guard let data = Data(base64Encoded: contents ?? "") else {
        throw RewardServiceError.badRequest("files[\"\(path)\"]: contents are not valid base64")
      }
      files[path] = data
    }
    if let fetch = try c.decodeIfPresent([String].self, forKey: .fetchFiles), !fetch.isEmpty {
      throw RewardServiceError.badRequest("fetch_files: not supported by this server (send [])")
    }
  }
}

/// SandboxFusion's `RunCodeResponse`. `status`: `Success` (every step finished with exit code 0),
/// `Failed` (a non-zero exit code or a time limit) or `SandboxError` (a step ended in `Error`, i.e.
/// the sandbox failed); `run_result.status`: `Finished`, `TimeLimitExceeded` or `Error`.
/// `compile_result` is null for Python, as SandboxFusion's Python runner has no compile step.
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

  /// SandboxFusion's answer for an outcome of our executor (its `parse_run_status`).
  public init(_ o: ProgramOutcome) {
    func result(_ status: String) -> RunResult {
      RunResult(
        status: status, executionTime: o.seconds, returnCode: o.exitCode, stdout: o.stdout, stderr: o.stderr)
    }
    switch o.status {
    case .finished:
      runResult = result("Finished")
      status = o.exitCode == 0 ? "Success" : "Failed"
      message = ""
    case .timeLimitExceeded:
      runResult = result("TimeLimitExceeded")
      status = "Failed"
      message = ""
    case .sandboxError:
      runResult = result("Error")
      status = "SandboxError"
      message = o.message
    }
    compileResult = nil
    files = [:]
  }
}
