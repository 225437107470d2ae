/// A counting semaphore for async code: at most `limit` holders, waiters resumed in FIFO order.
/// `OpenAICompatibleModel` holds one slot per HTTP request in flight (not while backing off); the
/// reward server bounds concurrent sandbox runs with one.
public actor AsyncSemaphore {
  public let limit: Int
  private var inUse = 0
  private var waiters: [CheckedContinuation<Void, Never>] = []

  public init(limit: Int) { self.limit = max(1, limit) }

  public func acquire() async {
    if inUse < limit {
      inUse += 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  public func release() {
    if waiters.isEmpty { inUse -= 1 } else { waiters.removeFirst().resume() }
  }

  /// Slots held now (tests).
  public var held: Int { inUse }

  public func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
    await acquire()
    defer { release() }
    return try await body()
  }
}
