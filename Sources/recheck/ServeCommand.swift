import ArgumentParser
import Foundation
import RewardServer
import Verifiers

/// `recheck serve [--host 127.0.0.1] [--port 8088] [--api-key-file FILE] [--allow CIDR,…]`: the reward
/// server of SCoRe spec §6.5 (`/get_reward`, `/verify`, `/run_code`, `/health`, `/metrics`). Off
/// loopback a shared secret is required (see Docs/server.md); the sandbox interpreter is tried as the
/// sandbox user before the socket opens.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve", abstract: "Serve the verifiers over HTTP (OpenRLHF, verl, TRL; see Docs/server.md)."
  )

  @Option(help: "Address to bind. Any address but loopback needs --api-key-file (or --insecure).")
  var host = "127.0.0.1"

  @Option(help: "Port (0: any free port).")
  var port = 8088

  @Option(
    help: ArgumentHelp(
      "File holding the shared secret (≥ 16 of A-Z a-z 0-9 . _ ~ -; e.g. `openssl rand -hex 32`).",
      discussion: "Clients send `Authorization: Bearer <secret>` or prefix paths with /k/<secret>/."))
  var apiKeyFile: String?

  @Option(help: "Only these networks may connect, comma-separated CIDRs (e.g. 10.0.0.0/8,192.168.1.7).")
  var allow: String?

  @Flag(help: "Serve a non-loopback address without a secret (trusted networks only).")
  var insecure = false

  @Option(help: "Largest request body, bytes.")
  var maxBodyBytes = 8 << 20

  @Option(help: "Largest stdin of a /run_code request, bytes.")
  var maxStdinBytes = 4 << 20

  @Option(help: "Per-request time limit, seconds.")
  var requestTimeout = 120.0

  @Option(help: "Sandbox runs at once.")
  var codeConcurrency = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Interpreter for sandboxed code (must be readable by the sandbox user).")
  var python = "/usr/bin/python3"

  func run() async throws {
    var access: AccessPolicy?
    do {
      let secret = try apiKeyFile.map { try AccessPolicy.loadSecret(file: $0) }
      let networks = try (allow ?? "").split(separator: ",").map {
        try IPNetwork(cidr: $0.trimmingCharacters(in: .whitespaces))
      }
      if secret != nil || !networks.isEmpty { access = AccessPolicy(secret: secret, allowed: networks) }
    } catch let e as AccessPolicyError {
      throw ValidationError(e.description)
    }
    if let problem = AccessPolicy.exposureProblem(host: host, policy: access, insecure: insecure) {
      throw ValidationError(problem)
    }
    let config = RewardServerConfig(
      host: host, port: port, maxBodyBytes: maxBodyBytes, requestTimeoutSeconds: requestTimeout,
      codeConcurrency: codeConcurrency, maxStdinBytes: maxStdinBytes, access: access, insecure: insecure)
    // Refuses an interpreter the sandbox user cannot run, saying why.
    let executor = try SandboxCodeExecutor(
      checking: SandboxConfig(python: python, concurrency: max(1, codeConcurrency)))
    FileHandle.standardError.write(Data("sandbox:\n\(executor.sandbox.capabilities.summary)\n".utf8))
    let service = RewardService(config: config, executor: executor)
    let auth = access?.secret != nil ? " (secret required)" : ""
    try await RewardHTTPServer.run(service) { port in
      // Unbuffered: scripts wait for this line. The secret is never printed.
      let line = "recheck serve: listening on http://\(config.host):\(port)\(auth)\n"
      FileHandle.standardOutput.write(Data(line.utf8))
    }
  }
}
