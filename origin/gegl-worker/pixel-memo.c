/* The pixel memo's table (pixel-memo.h). */
#include "pixel-memo.h"

/* 2^14 slots to start with: 256 KiB, grown as the image's colours need. */
#define INITIAL_BITS 14

static void
allocate (PixelMemo *memo, guint bits)
{
  memo->slots = g_new0 (PixelMemoSlot, 1u << bits);
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
