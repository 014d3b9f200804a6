#ifndef MEMPORT_CMALLOC_SHIM_H
#define MEMPORT_CMALLOC_SHIM_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>

/// Hands the free pages of every malloc arena back to the kernel (glibc's malloc_trim). The
/// import reader allocates on a thread of its own and the engine frees on others, so a finished
/// chunk's memory sits in the reader's arena until it is trimmed. Returns 1 when memory was
/// released.
static inline int memport_release_free_heap(void) {
    return malloc_trim(0);
}
#else
static inline int memport_release_free_heap(void) {
    return 0;
}
#endif

#endif
