#include "large-buffer.h"

#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE_BYTES (2u * 1024u * 1024u)

gpointer
large_buffer_try_new (gsize bytes)
{
  gpointer memory;
  gsize    rounded;

  if (bytes < HUGE_PAGE_BYTES)
    return g_try_malloc (bytes);
  rounded = (bytes + HUGE_PAGE_BYTES - 1) / HUGE_PAGE_BYTES * HUGE_PAGE_BYTES;
  if (rounded < bytes || posix_memalign (&memory, HUGE_PAGE_BYTES, rounded) != 0)
    return NULL;
  madvise (memory, rounded, MADV_HUGEPAGE);
  return memory;
}
