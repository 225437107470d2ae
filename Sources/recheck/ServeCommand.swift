import ArgumentParser
import Foundation
import RewardServer

/// `recheck serve [--host 127.0.0.1] [--port 8088]`: the reward server of SCoRe spec §6.5
/// (`/get_reward`, `/verify`, `/run_code`, `/health`, `/metrics`).
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve", abstract: "Serve the verifiers over HTTP (OpenRLHF, verl, TRL; see Examples/).")

  @Option(help: "Address to bind. Keep the loopback default unless the network is trusted.")
  var host = "127.0.0.1"

  @Option(help: "Port (0: any free port).")
  var port = 8088

  @Option(help: "Largest request body, bytes.")
  var maxBodyBytes = 8 << 20

  @Option(help: "Per-request time limit, seconds.")
  var requestTimeout = 120.0

  @Option(help: "Sandbox runs at once.")
  var codeConcurrency = 4

  func run() async throws {
    let config = RewardServerConfig(
      host: host, port: port, maxBodyBytes: maxBodyBytes, requestTimeoutSeconds: requestTimeout,
      codeConcurrency: codeConcurrency)
    let service = RewardService(config: config, executor: SandboxCodeExecutor())
    try await RewardHTTPServer.run(service) { port in
      // Unbuffered: scripts wait for this line.
      let line = "recheck serve: listening on http://\(config.host):\(port)\n"
      FileHandle.standardOutput.write(Data(line.utf8))
    }
  }
}
