/* The pixel memo's table (pixel-memo.h). */
#include "pixel-memo.h"

#include "../gegl-ops/lib/large-buffer.h"

#include <string.h>

/* 2^14 slots to start with: 256 KiB, grown as the image's colours need. */
#define INITIAL_BITS 14

/* On huge pages from 2 MiB up: each lookup lands anywhere in the table, and
 * each 4 KiB page's translation would be a miss too. */
static void
allocate (PixelMemo *memo, guint bits)
{
  gsize bytes = sizeof (PixelMemoSlot) << bits;

  memo->slots = large_buffer_try_new (bytes);
  if (!memo->slots) /* as g_new does */
    g_error ("pixel memo: no memory for %" G_GSIZE_FORMAT " bytes", bytes);
  memset (memo->slots, 0, bytes);
  memo->mask = (1u << bits) - 1;
  memo->shift = 64 - bits;
}

void
pixel_memo_init (PixelMemo *memo)
{
  allocate (memo, INITIAL_BITS);
  memo->count = 0;
}

void
pixel_memo_clear (PixelMemo *memo)
{
  g_clear_pointer (&memo->slots, g_free);
}

/* Twice the slots, every value moved to its slot there. */
static void
grow (PixelMemo *memo)
{
  PixelMemoSlot *old = memo->slots;
  guint32        slots = memo->mask + 1;

  allocate (memo, 64 - memo->shift + 1);
  for (guint32 i = 0; i < slots; i++)
    if (old[i].id)
      {
        guint32 slot = pixel_memo_slot (memo, old[i].key);

        while (memo->slots[slot].id)
          slot = (slot + 1) & memo->mask;
        memo->slots[slot] = old[i];
      }
  g_free (old);
}

guint32
pixel_memo_add (PixelMemo *memo, guint32 slot, guint64 key)
{
  memo->slots[slot] = (PixelMemoSlot) { key, ++memo->count };
  if (memo->count > memo->mask / 2)
    grow (memo);
  return memo->count - 1;
}
