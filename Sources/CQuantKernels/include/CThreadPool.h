// A persistent pool of helper threads for the decode path's row-parallel loops.
//
// Why not Dispatch's concurrentPerform: a decode step runs ~200 short parallel loops (≈ 20–100 µs
// each); waking a parked GCD worker for each costs a futex round trip and a context switch, often
// longer than the loop. These helpers spin briefly (with `pause`) after each loop, so the next one
// starts at once, then park on a condition variable so idle time costs no CPU. Atomics and
// pthreads are C here because Swift's `Synchronization` needs a newer macOS than the package's.
#ifndef CTHREADPOOL_H
#define CTHREADPOOL_H

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*rq_task)(void *context, long chunk);

/// Runs task(context, c) for every c in [0, chunks), on the calling thread and up to
/// `threads − 1` helpers; returns when all chunks are done. Chunks are taken from a shared
/// counter, so a descheduled helper only delays the chunk it holds. Concurrent callers (or
/// threads ≤ 1) run their chunks inline.
void rq_pool_run(rq_task task, void *context, long chunks, int threads);

#ifdef __cplusplus
}
#endif

#endif
