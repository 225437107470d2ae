// See include/CThreadPool.h.
#include "CThreadPool.h"

#include <pthread.h>
#include <stdatomic.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RQ_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define RQ_RELAX() __asm__ __volatile__("yield")
#else
#define RQ_RELAX() ((void)0)
#endif

// RQ_SPIN pauses (≈ 50–150 µs): longer than the gaps between a decode step's loops, short enough
// that a parked helper does not hold a shared core while the caller runs serial code for long.
enum { RQ_MAX_HELPERS = 15, RQ_SPIN = 2000 };

// The loop being run is published as one 64-bit ticket: generation (high 32 bits), chunk count
// (bits 16–31), next chunk (low 16 bits). Claiming a chunk is a compare-and-swap on the whole
// ticket, so a helper still holding a finished loop's generation can never claim a chunk of the
// next loop, and task/context (written before the ticket) are read only after a successful claim,
// while the caller is still waiting for that chunk.
static struct {
  pthread_mutex_t lock;  // guards sleeping helpers' condition wait
  pthread_cond_t wake;
  pthread_mutex_t busy;  // one loop at a time
  _Atomic unsigned long long ticket;
  _Atomic long done;  // chunks of the current loop finished
  _Atomic int sleepers;
  rq_task task;
  void *context;
  int helpers;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};

static unsigned long long generation_of(unsigned long long t) { return t >> 32; }

static void take_chunks(unsigned long long generation) {
  unsigned long long t = atomic_load_explicit(&pool.ticket, memory_order_acquire);
  for (;;) {
    if (generation_of(t) != generation) return;
    long index = (long)(t & 0xFFFF), count = (long)((t >> 16) & 0xFFFF);
    if (index >= count) return;
    if (!atomic_compare_exchange_weak_explicit(&pool.ticket, &t, t + 1, memory_order_acq_rel,
                                               memory_order_acquire))
      continue;
    pool.task(pool.context, index);
    atomic_fetch_add_explicit(&pool.done, 1, memory_order_acq_rel);
    t = atomic_load_explicit(&pool.ticket, memory_order_acquire);
  }
}

static void *helper(void *unused) {
  (void)unused;
  unsigned long long seen = generation_of(atomic_load_explicit(&pool.ticket, memory_order_acquire));
  for (;;) {
    unsigned long long now = seen;
    for (int i = 0; i < RQ_SPIN && now == seen; i++) {
      RQ_RELAX();
      now = generation_of(atomic_load_explicit(&pool.ticket, memory_order_acquire));
    }
    if (now == seen) {
      pthread_mutex_lock(&pool.lock);
      atomic_fetch_add(&pool.sleepers, 1);
      while ((now = generation_of(atomic_load(&pool.ticket))) == seen) pthread_cond_wait(&pool.wake, &pool.lock);
      atomic_fetch_sub(&pool.sleepers, 1);
      pthread_mutex_unlock(&pool.lock);
    }
    seen = now;
    take_chunks(seen);
  }
  return 0;
}

void rq_pool_run(rq_task task, void *context, long chunks, int threads) {
  if (threads > RQ_MAX_HELPERS + 1) threads = RQ_MAX_HELPERS + 1;
  if (threads <= 1 || chunks <= 1 || chunks > 0xFFFF || pthread_mutex_trylock(&pool.busy) != 0) {
    for (long c = 0; c < chunks; c++) task(context, c);
    return;
  }
  while (pool.helpers < threads - 1) {
    pthread_t t;
    if (pthread_create(&t, 0, helper, 0) != 0) break;
    pthread_detach(t);
    pool.helpers++;
  }
  pool.task = task;
  pool.context = context;
  atomic_store_explicit(&pool.done, 0, memory_order_relaxed);
  unsigned long long generation = generation_of(atomic_load(&pool.ticket)) + 1;
  // Sequentially consistent with the sleepers check below (and the helpers' mirror-image order):
  // either we see a helper going to sleep and wake it, or it sees the new ticket.
  atomic_store(&pool.ticket, (generation << 32) | ((unsigned long long)chunks << 16));
  if (atomic_load(&pool.sleepers) > 0) {
    pthread_mutex_lock(&pool.lock);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
  }
  take_chunks(generation);
  while (atomic_load_explicit(&pool.done, memory_order_acquire) < chunks) RQ_RELAX();
  pthread_mutex_unlock(&pool.busy);
}
