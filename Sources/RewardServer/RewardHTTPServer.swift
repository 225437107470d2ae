import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP face of `RewardService` (Hummingbird 2): routes, body size limit, JSON errors.
///
///     POST /get_reward   OpenRLHF remote reward       POST /verify   native batch API
///     POST /run_code     SandboxFusion subset          GET /health, GET /metrics (Prometheus)
public enum RewardHTTPServer {
  /// The router of a service: every route answers from `RewardService.handle`, so the HTTP layer
  /// only moves bytes.
  public static func router(_ service: RewardService) -> Router<BasicRequestContext> {
    let router = Router()
    let post: [(String, RewardService.Route)] = [
      ("/get_reward", .getReward), ("/verify", .verify), ("/run_code", .runCode),
    ]
    for (path, route) in post {
      router.post(RouterPath(path)) { request, _ in
        await respond(service, route, request)
      }
    }
    router.get("/health") { request, _ in await respond(service, .health, request) }
    router.get("/metrics") { request, _ in await respond(service, .metrics, request) }
    return router
  }

  /// Reads the body (413 beyond `maxBodyBytes`, checked on `Content-Length` first) and answers.
  static func respond(_ service: RewardService, _ route: RewardService.Route, _ request: Request) async
    -> Response
  {
    let limit = service.config.maxBodyBytes
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
      return reply(RewardService.error(413, "request body exceeds \(limit) bytes"))
    }
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: limit)
    } catch is NIOTooManyBytesError {
      return reply(RewardService.error(413, "request body exceeds \(limit) bytes"))
    } catch {
      return reply(RewardService.error(400, "could not read the request body"))
    }
    let reply = await service.handle(route, body: Data(buffer.readableBytesView))
    return Self.reply(reply)
  }

  static func reply(_ r: ServiceReply) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = r.contentType
    return Response(
      status: HTTPResponse.Status(code: r.status), headers: headers,
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: r.body)))
  }

  /// An application serving `service` at `config.host:config.port`; `onListening` gets the bound port
  /// (useful with port 0).
  public static func application(
    _ service: RewardService, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    Application(
      router: router(service),
      configuration: ApplicationConfiguration(
        address: .hostname(service.config.host, port: service.config.port), serverName: "recheck"),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? -1) })
  }

  /// Serves until SIGINT/SIGTERM (the CLI).
  public static func run(_ service: RewardService, onListening: @escaping @Sendable (Int) async -> Void)
    async throws
  {
    try await application(service, onListening: onListening).runService()
  }

  /// Starts serving in the background and returns once the socket is bound (tests, embedding).
  public static func start(_ service: RewardService) async throws -> RunningRewardServer {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let group = ServiceGroup(
      services: [application(service) { continuation.yield($0) }], gracefulShutdownSignals: [],
      cancellationSignals: [], logger: .init(label: "recheck.serve"))
    let task = Task {
      defer { continuation.finish() }  // a failed bind ends the stream instead of hanging `start`
      try await group.run()
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next(), port > 0 else {
      task.cancel()
      throw RewardServiceError.unavailable(
        "the reward server could not bind \(service.config.host):\(service.config.port)")
    }
    return RunningRewardServer(port: port, group: group, task: task)
  }
}

/// A server started by `RewardHTTPServer.start`.
public struct RunningRewardServer: Sendable {
  public let port: Int
  let group: ServiceGroup
  let task: Task<Void, any Error>

  /// Graceful shutdown; waits until the server has stopped.
  public func stop() async {
    await group.triggerGracefulShutdown()
    _ = try? await task.value
  }
}
