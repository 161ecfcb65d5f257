/* Memory for a whole image: a request's payload, a result, the direct blur's
 * float image. From 2 MiB up it is aligned to and advised onto transparent
 * huge pages (where the kernel allows), so that filling it faults once per
 * 2 MiB instead of once per 4 KiB page: a 12 MP RGBA image is 23 faults
 * instead of 11,719, each render anew, since the worker gives large images'
 * memory back to the system after them (main.c). */
#ifndef IMGFLO_LARGE_BUFFER_H
#define IMGFLO_LARGE_BUFFER_H

#include <glib.h>

/* `bytes` of memory, freed with g_free; NULL when out of memory. */
gpointer large_buffer_try_new (gsize bytes);

#endif
