import CQuantKernels

/// Splits inference loops over a persistent pool of spinning-then-parking helper threads
/// (`CQuantKernels/ThreadPool.c`; why not Dispatch is explained there).
public enum RowParallel {
  /// Most threads any loop runs on (the caller included); `setMaxThreads` lowers it. It caps how many
  /// threads run the chunks, not how work is cut into chunks, so every result is bit-identical
  /// whatever the cap (each chunk computes as it would on its own thread).
  public nonisolated(unsafe) private(set) static var maxThreads = Int.max

  /// Caps the threads of every loop (`recheck … --threads N`); 1 runs everything on the caller.
  public static func setMaxThreads(_ n: Int) { maxThreads = max(1, n) }

  /// Runs body(c) for c in 0..<chunks on up to `threads` threads (the caller included) and
  /// returns when all are done. body must be safe to run concurrently for different chunks.
  public static func run(chunks: Int, threads requested: Int, _ body: (Int) -> Void) {
    let threads = min(requested, maxThreads)
    if chunks <= 1 || threads <= 1 {
      for c in 0..<chunks { body(c) }
      return
    }
    withoutActuallyEscaping(body) { escaping in
      var task = escaping
      withUnsafeMutablePointer(to: &task) { context in
        rq_pool_run(
          { context, chunk in context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(chunk) },
          context, chunks, Int32(threads))
      }
    }
  }
}
