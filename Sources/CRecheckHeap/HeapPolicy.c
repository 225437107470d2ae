// Keeps freed memory in the process for the next tensor. Training and sampling allocate and free
// tensors of the same few sizes every step (activations, gradients, logits, KV caches, 1–100 MB).
// With glibc's defaults such a buffer is a fresh mmap (above the 128 KB–32 MB threshold) or comes
// from one of up to 8 × cores per-thread arenas, whose heaps are at most 64 MB (larger blocks are
// mmap'd anyway) and are shrunk when freed; either way the kernel zero-fills the pages again at the
// next first touch. On the demo's multi-turn RL (6 steps, one thread) that was 2.3–4.3 M minor page
// faults and 5.4 GB peak memory; with the settings below 0.68 M and 2.8 GB, and ≈ 10 % less time.
// Every computed value is unchanged: where memory comes from never changes what is written to it.
//
// One arena (M_ARENA_MAX 1: the threads of TensorCore's ParallelLoop compute, they rarely allocate),
// no mmap'd blocks (M_MMAP_MAX 0), no trimming of the heap's top (M_TRIM_THRESHOLD −1, "disables
// trimming completely", mallopt(3)), 64 MB of headroom per growth (M_TOP_PAD). glibc fixes its
// arena limit when the second thread first allocates, so this has to run before main (a
// constructor): from `main` the Swift runtime's worker threads already hold arenas of their own and
// the limit is ignored (measured: 2.5 M faults). A process-wide choice, so it lives in the
// executable, never in a library target.
#include "CRecheckHeap.h"

#include <limits.h>  // also defines __GLIBC__ (through <features.h>) where the C library is glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static int applied = 0;

__attribute__((constructor)) static void rc_heap_policy_apply(void) {
#if defined(__GLIBC__)
  int ok = 1;
  ok &= mallopt(M_ARENA_MAX, 1) == 1;
  ok &= mallopt(M_MMAP_MAX, 0) == 1;
  ok &= mallopt(M_TRIM_THRESHOLD, -1) == 1;
  ok &= mallopt(M_TOP_PAD, 64 << 20) == 1;
  applied = ok;
#endif
}

int rc_heap_policy_applied(void) { return applied; }
