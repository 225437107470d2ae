// The `recheck` executable's heap settings, applied before main (HeapPolicy.c says why).
#ifndef CRECHECKHEAP_H
#define CRECHECKHEAP_H

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the settings were applied at start-up (glibc accepted every one), 0 otherwise (another
/// C library, or a setting refused: the process then runs on the C library's defaults).
int rc_heap_policy_applied(void);

#ifdef __cplusplus
}
#endif

#endif
