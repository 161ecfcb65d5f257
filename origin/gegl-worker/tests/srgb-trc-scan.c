/* srgb-trc-scan: compares srgb-trc.c with the function babl 0.1.98 itself
 * calls for sRGB's curve (BablTRC's fun_from_linear / fun_to_linear of
 * babl_trc ("sRGB"), what babl's perceptual and sRGB conversions call for
 * every value), on every float bit pattern from FIRST to LAST (hex, default
 * all 2^32), through the vector code (srgb_from_linear / srgb_to_linear) and
 * the scalar one. Prints the number of values compared and of mismatches
 * (bits differ; NaNs must be NaNs) for each direction; exit status 1 on any
 * mismatch. Built and run by srgb-trc.test.ts. */
#include "../srgb-trc.h"

#include <babl/babl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The head of babl 0.1.98's BablTRC (babl/base/babl-trc.h), up to the two
 * per-value functions. */
typedef struct
{
  int         class_type, id;
  void       *creator;
  char       *name;
  const char *doc;
  int         type, lut_size;
  double      gamma;
  float       rgamma;
  float     (*to_linear) (const Babl *trc, float value);
  float     (*from_linear) (const Babl *trc, float value);
} TrcHead;

#define CHUNK (1u << 20)

static int
same (float a, float b)
{
  return (isnan (a) && isnan (b)) || memcmp (&a, &b, sizeof a) == 0;
}

typedef void (*Many) (const gfloat *in, gfloat *out, gsize n);
typedef gfloat (*One) (gfloat v);

static guint64
scan (const char *what, const TrcHead *trc, int from, Many many, One one, guint32 first,
      guint32 last)
{
  float  *in = malloc (CHUNK * sizeof *in), *out = malloc (CHUNK * sizeof *out);
  guint64 count = 0, bad = 0;

  for (guint64 start = first; start <= last; start += CHUNK)
    {
      guint32 n = (guint32) MIN ((guint64) CHUNK, (guint64) last - start + 1);
      for (guint32 i = 0; i < n; i++)
        {
          guint32 bits = (guint32) (start + i);
          memcpy (&in[i], &bits, sizeof bits);
        }
      many (in, out, n);
      for (guint32 i = 0; i < n; i++)
        {
          float want = from ? trc->from_linear ((const Babl *) trc, in[i])
                            : trc->to_linear ((const Babl *) trc, in[i]);
          if (!same (out[i], want) || !same (one (in[i]), want))
            {
              if (bad++ < 5)
                fprintf (stderr, "%s %a: babl %a, vector %a, scalar %a\n", what, in[i], want,
                         out[i], one (in[i]));
            }
        }
      count += n;
    }
  printf ("%s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n", what, count, bad);
  free (in);
  free (out);
  return bad;
}

int
main (int argc, char **argv)
{
  guint32        first = argc > 1 ? (guint32) strtoul (argv[1], NULL, 16) : 0;
  guint32        last = argc > 2 ? (guint32) strtoul (argv[2], NULL, 16) : 0xffffffffu;
  const TrcHead *trc;
  guint64        bad;

  babl_init ();
  trc = (const TrcHead *) babl_trc ("sRGB");
  /* The layout is right if the functions give babl's known values. */
  if (!trc || trc->from_linear ((const Babl *) trc, 1.0f) != 1.0f ||
      trc->to_linear ((const Babl *) trc, 0.0f) != 0.0f)
    {
      fprintf (stderr, "srgb-trc-scan: babl_trc (\"sRGB\") is not babl 0.1.98's BablTRC\n");
      return 2;
    }
  bad = scan ("from-linear", trc, 1, srgb_from_linear, srgb_from_linear_one, first, last);
  bad += scan ("to-linear", trc, 0, srgb_to_linear, srgb_to_linear_one, first, last);
  babl_exit ();
  return bad ? 1 : 0;
}
