/* fast-conversions-compare: converts the same pixels with babl's own fish
 * (this process never registers the fast conversions, so babl picks among
 * its own conversions, or its reference) and with each fast conversion, and
 * prints "<source> to <destination> <pixels> <mismatches>" for each (bytes
 * differ; NaN results must both be NaN); exit status 1 on any mismatch. The
 * pixels: a grid of colour values from -0.25 to 1.5 and past 16 and 1024,
 * and NaN, with alphas from 0 through 2^-16 to 1.25 and negative, then
 * seeded random ones, with NaN colours at the end of each 512 (for a u16
 * source: its edge values, then random ones; a grey source takes the
 * floats two by two).
 *
 * `fast-conversions-compare pin <babl's extension directory>` first: it
 * adds to babl's fish cache (XDG_CACHE_HOME) each chain a fast conversion
 * does in one, with pixels=1000, so that babl's fish between those formats
 * is that chain (babl would time its candidates and pick one), and the
 * cache written at exit shows from its pixels that it was used.
 * `fast-conversions-compare scan`: see scan (). Built and run by
 * fast-conversions.test.ts. */
#include "../fast-conversions.h"

#include <babl/babl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIXELS (1 << 20)

static const gfloat ALPHAS[] = { 0.0f, -0.0f, 1e-7f, 1.0f / 65536, 1.5e-5f, 0.001f, 0.25f,
                                 0.5f, 0.999f, 1.0f, 1.25f, -0.5f };

static const gfloat COLOURS[] = { -0.25f, -1e-9f, 0.0f, 1e-6f, 0.003f, 0.0031308f, 0.04f,
                                  0.04045f, 0.1f, 0.5f, 0.73f, 1.0f, 1.5f, 17.0f, 2000.0f, NAN };

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
  /* NaN colours where babl's chains end a chunk (of 512 pixels), whose last
   * pixel a step may convert otherwise, and in the last pixel. */
  for (gsize last = 511; last < n; last += 512)
    px[4 * last] = px[4 * last + 2] = NAN;
  px[4 * (n - 1) + 1] = NAN;
}

static const guint16 U16_ALPHAS[] = { 0, 1, 2, 255, 32767, 32768, 65534, 65535 };

static const guint16 U16_COLOURS[] = { 0, 1, 2, 3, 100, 257, 1000, 2651, 2652, 32768, 65534, 65535 };

/* n R'G'B'A u16 pixels: every alpha with every colour in each channel, then random. */
static void
fill_u16 (guint16 *px, gsize n)
{
  gsize   i = 0;
  guint32 state = 54321;

  for (gsize a = 0; a < G_N_ELEMENTS (U16_ALPHAS); a++)
    for (gsize c = 0; c < G_N_ELEMENTS (U16_COLOURS) && i < n; c++, i++)
      {
        px[4 * i + 0] = U16_COLOURS[c];
        px[4 * i + 1] = U16_COLOURS[(c + 5) % G_N_ELEMENTS (U16_COLOURS)];
        px[4 * i + 2] = U16_COLOURS[(c + 9) % G_N_ELEMENTS (U16_COLOURS)];
        px[4 * i + 3] = U16_ALPHAS[a];
      }
  for (; i < n; i++)
    for (gint c = 0; c < 4; c++)
      {
        state = state * 1664525u + 1013904223u;
        px[4 * i + c] = (guint16) (state >> 16);
      }
}

static gsize
mismatches (const guint8 *a, const guint8 *b, gsize bpp, gsize n)
{
  gsize bad = 0;

  /* Bytes of u8 pixels, u16s of u16 pixels, floats of float pixels. */
  gsize step = bpp == 4 ? 1 : bpp == 8 ? 2 : 4;

  for (gsize i = 0; i < n * bpp; i += step)
    {
      gfloat x, y;
      if (bpp == 4)
        bad += a[i] != b[i];
      else if (bpp == 8)
        bad += memcmp (a + i, b + i, sizeof (guint16)) != 0;
      else
        {
          memcpy (&x, a + i, 4);
          memcpy (&y, b + i, 4);
          bad += !(isnan (x) && isnan (y)) && memcmp (&x, &y, 4) != 0;
        }
    }
  return bad;
}

static const gchar *pairs[][2] = {
  { "RGBA float", "R~G~B~A float" },        { "R~G~B~A float", "RGBA float" },
  { "RGBA float", "R~aG~aB~aA float" },     { "R~aG~aB~aA float", "R'G'B'A u8" },
  { "R'G'B'A u16", "RaGaBaA float" },       { "R'G'B'A u16", "R'aG'aB'aA float" },
  { "RaGaBaA float", "R'aG'aB'aA float" },  { "R'aG'aB'aA float", "R'G'B'A u16" },
  { "YA float", "R~aG~aB~aA float" },       { "R'G'B'A u16", "R~aG~aB~aA float" },
  { "RaGaBaA float", "R'G'B'A u8" },
};

/* One fish cache entry: the chain's conversions, from `dir`. */
static void
write_chain (FILE *cache, const gchar *dir, const gchar *source, const gchar *destination,
             const gchar *const *chain)
{
  fprintf (cache, "%s\n%s\n\tpixels=1000 cost=1 error=0.0000000000\n", source, destination);
  for (; *chain; chain++)
    fprintf (cache, "\t%s/%s\n", dir, *chain);
  fprintf (cache, "----\n");
}

/* babl writes its cache at exit, with the header it checks, once it has a fish to keep. */
static int
pin (const gchar *dir)
{
  gchar *path = g_build_filename (g_get_user_cache_dir (), "babl", "babl-fishes", NULL);
  gfloat pixel[4] = { 0 };
  gdouble out[4];
  FILE   *cache;

  babl_init ();
  babl_process (babl_fish (babl_format ("RGBA float"), babl_format ("RGBA double")), pixel, out,
                1);
  babl_exit ();
  cache = g_fopen (path, "a");
  if (!cache)
    return 2;
  for (gsize p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      const gchar *const *chain = fast_conversions_chain (pairs[p][0], pairs[p][1]);
      if (chain)
        write_chain (cache, dir, pairs[p][0], pairs[p][1], chain);
    }
  fclose (cache);
  g_free (path);
  return 0;
}

/* `fast-conversions-compare scan`: the floats of the u8 table of
 * R~aG~aB~aA float to R'G'B'A u8, as the colours of opaque pixels, three to
 * a pixel, through babl's fish and the fast conversion: every one from
 * 2^-24 under 2^-9 to 2, and the zeros and subnormals of 0 to 2^-9, whose
 * u8 the table says is 0 (the smallest 2^20 floats); prints "<floats>
 * <mismatches>". */
static const guint32 SCAN_RANGES[][2] = {
  { 0, 1u << 20 },
  { 0x3b000000u - (1u << 24), 0x40000000u },
};

static int
scan (gfloat *src, guint8 *want, guint8 *got)
{
  const Babl *fish;
  gsize       floats = 0, bad = 0;

  babl_init ();
  fish = babl_fish (babl_format ("R~aG~aB~aA float"), babl_format ("R'G'B'A u8"));
  for (gsize r = 0; r < G_N_ELEMENTS (SCAN_RANGES); r++)
    for (guint32 first = SCAN_RANGES[r][0]; first < SCAN_RANGES[r][1]; first += 3 * PIXELS)
      {
        guint32 end = MIN (first + 3 * PIXELS, SCAN_RANGES[r][1]);
        gsize   n = 0;

        for (guint32 bits = first; bits < end; n++)
          {
            for (gint c = 0; c < 3; c++)
              {
                guint32 value = MIN (bits, end - 1);
                memcpy (&src[4 * n + c], &value, sizeof value);
                bits += bits < end;
              }
            src[4 * n + 3] = 1.0f;
          }
        babl_process (fish, src, want, n);
        fast_conversions_convert ("R~aG~aB~aA float", "R'G'B'A u8", src, got, n);
        floats += end - first;
        bad += mismatches (want, got, 4, n);
      }
  printf ("%zu %zu\n", floats, bad);
  babl_exit ();
  return bad ? 1 : 0;
}

int
main (int argc, char **argv)
{
  gfloat  *src = malloc (PIXELS * 16);
  guint16 *src_u16 = malloc (PIXELS * 8);
  guint8  *want = malloc (PIXELS * 16), *got = malloc (PIXELS * 16);
  gsize    bad = 0;

  if (argc == 3 && strcmp (argv[1], "pin") == 0)
    return pin (argv[2]);
  if (argc == 2 && strcmp (argv[1], "scan") == 0)
    return scan (src, want, got);
  babl_init ();
  fill (src, PIXELS);
  fill_u16 (src_u16, PIXELS);
  for (gsize p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      const Babl   *from = babl_format (pairs[p][0]), *to = babl_format (pairs[p][1]);
      gsize         bpp = babl_format_get_bytes_per_pixel (to);
      gconstpointer pixels = babl_format_get_type (from, 0) == babl_type ("u16")
                               ? (gconstpointer) src_u16
                               : (gconstpointer) src;
      gsize         pair_bad;

      babl_process (babl_fish (from, to), pixels, want, PIXELS);
      if (!fast_conversions_convert (pairs[p][0], pairs[p][1], pixels, got, PIXELS))
        return 2;
      pair_bad = mismatches (want, got, bpp, PIXELS);
      printf ("%s to %s %d %zu\n", pairs[p][0], pairs[p][1], PIXELS, pair_bad);
      bad += pair_bad;
    }
  babl_exit ();
  return bad ? 1 : 0;
}
