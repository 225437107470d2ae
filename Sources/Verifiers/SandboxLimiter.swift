/// A counting semaphore for async code: at most `limit` holders at once, waiters served in FIFO order.
/// Lets many sandboxed programs be submitted at once without starting more processes than cores.
actor SandboxLimiter {
  private var available: Int
  private var waiters: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) { available = max(1, limit) }

  func acquire() async {
    if available > 0 {
      available -= 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  func release() {
    if waiters.isEmpty {
      available += 1
    } else {
      waiters.removeFirst().resume()
    }
  }
}
