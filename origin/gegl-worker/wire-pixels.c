#include "wire-pixels.h"

#include <string.h>

/* Why 16 bits: feeding GEGL 8-bit data works too, but then babl 0.1.98
 * builds a 256 MiB lookup table for each 8-bit -> float conversion it sees
 * often (there is no switch to turn that off in this version), held until
 * unused for 5 minutes: several hundred MiB per worker. From 16-bit data
 * babl converts with plain SIMD code. */
gboolean
wire_input_is_wire (void)
{
  /* Read once: it is asked for every run of pixels converted. */
  static gint is_wire = -1;

  if (is_wire < 0)
    {
      const gchar *mode = g_getenv ("IMGFLO_WORKER_INPUT");
      is_wire = mode && strcmp (mode, "u8") == 0;
    }
  return is_wire;
}

const Babl *
wire_input_format (void)
{
  return babl_format (wire_input_is_wire () ? WIRE_FORMAT : "R'G'B'A u16");
}

/* Vectorised (-O2 left it byte by byte: about 25 ms of a 12 MP render),
 * with AVX2 where the processor has it. */
__attribute__ ((target_clones ("avx2", "default"), optimize ("O3"))) static void
widen_to_u16 (const guint8 *restrict src, guint16 *restrict dst, gsize count)
{
  for (gsize i = 0; i < count; i++)
    dst[i] = (guint16) (src[i] * 257u);
}

void
wire_to_input (const guint8 *src, guint8 *dst, gsize pixels)
{
  if (wire_input_is_wire ())
    {
      memcpy (dst, src, pixels * 4);
      return;
    }
  widen_to_u16 (src, (guint16 *) dst, pixels * 4);
}
