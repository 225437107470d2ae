import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP face of `RewardService` (Hummingbird 2): routes, access control, body size limit, JSON
/// errors.
///
///     POST /get_reward   OpenRLHF remote reward       POST /verify   native batch API
///     POST /run_code     SandboxFusion (Python)        GET /health, GET /metrics (Prometheus)
///
/// Every route is also served under `/k/<secret>/` for clients that cannot send an `Authorization`
/// header. With an `AccessPolicy`, every route but `/health` checks it before reading the body: a
/// refused request runs nothing, gets 401 (403 outside `--allow`), and is counted in `/metrics`.
public enum RewardHTTPServer {
  /// The router of a service: every route answers from `RewardService.handle`, so the HTTP layer
  /// only moves bytes.
  public static func router(_ service: RewardService) -> Router<RewardRequestContext> {
    let router = Router(context: RewardRequestContext.self)
    let routes: [(String, RewardService.Route, HTTPRequest.Method)] = [
      ("get_reward", .getReward, .post), ("verify", .verify, .post), ("run_code", .runCode, .post),
      ("health", .health, .get), ("metrics", .metrics, .get),
    ]
    for (name, route, method) in routes {
      router.on(RouterPath("/" + name), method: method) { request, context in
        await respond(service, route, request, context, pathSecret: nil)
      }
      router.on(RouterPath("/k/:secret/" + name), method: method) { request, context in
        await respond(service, route, request, context, pathSecret: context.parameters.get("secret") ?? "")
      }
    }
    return router
  }

  /// Checks access, reads the body (413 beyond `maxBodyBytes`, checked on `Content-Length` first)
  /// and answers.
  static func respond(
    _ service: RewardService, _ route: RewardService.Route, _ request: Request,
    _ context: RewardRequestContext,
    pathSecret: String?
  ) async -> Response {
    if route != .health, let policy = service.config.access {
      let decision = policy.decide(
        authorization: request.headers[.authorization], pathSecret: pathSecret,
        remote: context.remoteAddress?.ipAddress)
      switch decision {
      case .allowed: break
      case .unauthorized(let reason):
        service.metrics.recordRejected(route: route.rawValue, status: 401, reason: reason)
        var r = reply(
          RewardService.error(401, "unauthorized: send Authorization: Bearer <secret> or use /k/<secret>/"))
        r.headers[.wwwAuthenticate] = "Bearer"
        return r
      case .forbidden:
        service.metrics.recordRejected(route: route.rawValue, status: 403, reason: "address")
        return reply(RewardService.error(403, "forbidden: this address is not in --allow"))
      }
    }
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
    try checkExposure(service.config)
    try await application(service, onListening: onListening).runService()
  }

  /// Starts serving in the background and returns once the socket is bound (tests, embedding).
  public static func start(_ service: RewardService) async throws -> RunningRewardServer {
    try checkExposure(service.config)
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

extension RewardHTTPServer {
  /// A non-loopback address without a secret is refused unless `insecure` is set.
  static func checkExposure(_ config: RewardServerConfig) throws {
    if let problem = AccessPolicy.exposureProblem(
      host: config.host, policy: config.access, insecure: config.insecure)
    {
      throw RewardServiceError.unavailable(problem)
    }
  }
}

/// Hummingbird's basic context plus the peer's address (for `--allow`).
public struct RewardRequestContext: RequestContext, RemoteAddressRequestContext {
  public var coreContext: CoreRequestContextStorage
  public let remoteAddress: SocketAddress?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
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
