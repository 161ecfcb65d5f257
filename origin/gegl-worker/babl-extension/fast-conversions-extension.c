/* A babl extension (build/native/babl/imgflo-fast-conversions.so) that
 * registers the worker's fast conversions (fast-conversions.h) while babl
 * loads its extensions, before it reads its fish cache: chains of
 * conversions that use them are then kept in the cache like babl's own.
 * Registered after babl's start-up, they were unknown when the cache was
 * read, so every chain with one of them was dropped and measured again at
 * each start, and the first time babl's timing picked another chain, that
 * one stayed for good.  The code it calls is the worker's (which exports
 * fast_conversions_register): in another program it fails to load and babl
 * goes on without it. */
#include "../fast-conversions.h"

int init (void);

int
init (void)
{
  fast_conversions_register ();
  return 0;
}
