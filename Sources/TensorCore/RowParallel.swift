import CQuantKernels

/// Splits inference loops over a persistent pool of spinning-then-parking helper threads
/// (`CQuantKernels/ThreadPool.c`; why not Dispatch is explained there).
public enum RowParallel {
  /// Runs body(c) for c in 0..<chunks on up to `threads` threads (the caller included) and
  /// returns when all are done. body must be safe to run concurrently for different chunks.
  public static func run(chunks: Int, threads: Int, _ body: (Int) -> Void) {
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
