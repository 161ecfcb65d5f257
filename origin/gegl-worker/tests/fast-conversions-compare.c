/* fast-conversions-compare: converts the same pixels with babl's own fish
 * (this process never registers the fast conversions, so babl picks among
 * its own conversions, or its reference) and with each fast conversion, and
 * prints "<source> to <destination> <pixels> <mismatches>" for each (bytes
 * differ; NaN results must both be NaN); exit status 1 on any mismatch. The
 * pixels: a grid of colour values from -0.25 to 1.5 and past 16 and 1024
 * with alphas from 0 through 2^-16 to 1.25 and negative, then seeded
 * random ones. Built and run by fast-conversions.test.ts. */
#include "../fast-conversions.h"

#include <babl/babl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIXELS (1 << 20)

static const gfloat ALPHAS[] = { 0.0f, -0.0f, 1e-7f, 1.0f / 65536, 1.5e-5f, 0.001f, 0.25f,
                                 0.5f, 0.999f, 1.0f, 1.25f, -0.5f };

static const gfloat COLOURS[] = { -0.25f, -1e-9f, 0.0f, 1e-6f, 0.003f, 0.0031308f, 0.04f,
                                  0.04045f, 0.1f, 0.5f, 0.73f, 1.0f, 1.5f, 17.0f, 2000.0f };

/* n RGBA float pixels: every alpha with every colour in each channel, then random. */
static void
fill (gfloat *px, gsize n)
{
  gsize  i = 0;
  guint32 state = 12345;

  for (gsize a = 0; a < G_N_ELEMENTS (ALPHAS); a++)
    for (gsize c = 0; c < G_N_ELEMENTS (COLOURS) && i < n; c++, i++)
      {
        px[4 * i + 0] = COLOURS[c];
        px[4 * i + 1] = COLOURS[(c + 5) % G_N_ELEMENTS (COLOURS)];
        px[4 * i + 2] = COLOURS[(c + 9) % G_N_ELEMENTS (COLOURS)];
        px[4 * i + 3] = ALPHAS[a];
      }
  for (; i < n; i++)
    for (gint c = 0; c < 4; c++)
      {
        state = state * 1664525u + 1013904223u;
        px[4 * i + c] = (gfloat) (state >> 8) / (1 << 24) * 1.2f - 0.1f;
      }
}

static gsize
mismatches (const guint8 *a, const guint8 *b, gsize bpp, gsize n)
{
  gsize bad = 0;

  for (gsize i = 0; i < n * bpp; i += (bpp == 4 ? 1 : 4))
    {
      gfloat x, y;
      if (bpp == 4)
        bad += a[i] != b[i];
      else
        {
          memcpy (&x, a + i, 4);
          memcpy (&y, b + i, 4);
          bad += !(isnan (x) && isnan (y)) && memcmp (&x, &y, 4) != 0;
        }
    }
  return bad;
}

int
main (void)
{
  static const gchar *pairs[][2] = {
    { "RGBA float", "R~G~B~A float" },      { "R~G~B~A float", "RGBA float" },
    { "RGBA float", "R~aG~aB~aA float" },   { "R~aG~aB~aA float", "R'G'B'A u8" },
  };
  gfloat *src = malloc (PIXELS * 16);
  guint8 *want = malloc (PIXELS * 16), *got = malloc (PIXELS * 16);
  gsize   bad = 0;

  babl_init ();
  fill (src, PIXELS);
  for (gsize p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      const Babl *to = babl_format (pairs[p][1]);
      gsize       bpp = babl_format_get_bytes_per_pixel (to);
      gsize       pair_bad;

      babl_process (babl_fish (babl_format (pairs[p][0]), to), src, want, PIXELS);
      if (!fast_conversions_convert (pairs[p][0], pairs[p][1], src, got, PIXELS))
        return 2;
      pair_bad = mismatches (want, got, bpp, PIXELS);
      printf ("%s to %s %d %zu\n", pairs[p][0], pairs[p][1], PIXELS, pair_bad);
      bad += pair_bad;
    }
  babl_exit ();
  return bad ? 1 : 0;
}
