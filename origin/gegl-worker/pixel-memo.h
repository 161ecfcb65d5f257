/* A table from pixel values of up to 8 bytes to the order in which they were
 * first seen, for computing a point chain (point-chain.c) once per distinct
 * value of its source: a photo of 12 MP has some 2% distinct 8-bit colours.
 * Open addressing, grown at half full; one per thread (not locked). */
#ifndef IMGFLO_PIXEL_MEMO_H
#define IMGFLO_PIXEL_MEMO_H

#include <glib.h>

/* A slot: its key and id together, one cache line's read. */
typedef struct
{
  guint64 key;
  guint32 id;     /* id + 1 of the slot's key; 0: the slot is empty */
} PixelMemoSlot;

typedef struct
{
  PixelMemoSlot *slots;
  guint32  mask;  /* slots - 1 */
  guint    shift; /* 64 - log2 (slots): a hash's top bits are its slot */
  guint32  count; /* distinct values so far; their ids are 0 .. count - 1 */
} PixelMemo;

void    pixel_memo_init  (PixelMemo *memo);
void    pixel_memo_clear (PixelMemo *memo);

/* Fibonacci hashing over the key with its high half folded in: the top bits
 * of the product depend on every bit of a pixel's channels. */
static inline guint32
pixel_memo_slot (const PixelMemo *memo, guint64 key)
{
  return (guint32) (((key ^ (key >> 29)) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> memo->shift);
}

/* Starts fetching the slot where a lookup of `key` begins: a table of a
 * photo's colours is larger than the caches, and each lookup a miss. */
static inline void
pixel_memo_prefetch (const PixelMemo *memo, guint64 key)
{
  __builtin_prefetch (&memo->slots[pixel_memo_slot (memo, key)]);
}

/* Gives `key`, new, the id `memo->count` in its empty `slot`; returns it. */
guint32 pixel_memo_add   (PixelMemo *memo, guint32 slot, guint64 key);

/* The id of `key`: the one it was given when first seen, or, when it is new,
 * `memo->count` (then counted, and *added set). */
static inline guint32
pixel_memo_id (PixelMemo *memo, guint64 key, gboolean *added)
{
  guint32 slot = pixel_memo_slot (memo, key);

  for (; memo->slots[slot].id; slot = (slot + 1) & memo->mask)
    if (memo->slots[slot].key == key)
      {
        *added = FALSE;
        return memo->slots[slot].id - 1;
      }
  *added = TRUE;
  return pixel_memo_add (memo, slot, key);
}

/* A pixel of `bpp` (1..8) bytes as a key. */
static inline guint64
pixel_memo_key (const guint8 *pixel, gsize bpp)
{
  guint64 key = 0;

  if (bpp == 8)
    __builtin_memcpy (&key, pixel, 8);
  else
    for (gsize i = 0; i < bpp; i++)
      key |= (guint64) pixel[i] << (8 * i);
  return key;
}

#endif
