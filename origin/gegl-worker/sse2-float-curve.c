/* sRGB's curve as babl 0.1.98's sse2-float extension computes it; see
 * sse2-float-curve.h. Every operation is babl's, in babl's order, and none
 * contracts into a multiply-add (sse2-float.so is built for SSE2, which
 * has none), so each value rounds as it does in babl. */
#include "sse2-float-curve.h"

#include <math.h>
#include <string.h>

/* The vector loop's options, for it and the lane code inlined in it (as in
 * srgb-trc.c): selects vectorise without keeping comparisons' exception
 * flags; the worker is built with -fno-math-errno, so that sqrtf does too. */
#define LOOP_OPTIONS "O3", "no-trapping-math"
#define LANE static inline __attribute__ ((always_inline, optimize (LOOP_OPTIONS))) gfloat

/* Where the curve leaves the straight segment; where a vector of four
 * leaves the Newton iterations for expf (logf (x) / 2.4). */
#define FROM_LINEAR_KNEE 0.003130804954f
#define TO_LINEAR_KNEE   0.04045f
#define ROOT_LIMIT       1024.0f

/* 1 maps to 1: babl offsets the curve by 3 ulps of 2^-24. */
#define FROM_LINEAR_OFFSET (0.055f - 3.0f / (float) (1 << 24))

/* sse_init_newton: a first guess of x^exponent from x's bits read as an
 * integer (less 1.0f's), the constants rounded from double as babl's
 * splat4f rounds them. */
LANE
newton_guess (gfloat x, gdouble exponent, gdouble c0, gdouble c1, gdouble c2)
{
  const gdouble norm = exponent * G_LN2 / (1 << 23);
  guint32       bits;
  gfloat        y;

  memcpy (&bits, &x, sizeof bits);
  y = (gfloat) (gint32) (bits - 0x3f800000u);
  return (gfloat) c0 + (gfloat) (c1 * norm) * y + (gfloat) (c2 * norm * norm) * y * y;
}

/* sse_pow_1_24's lane, for x up to ROOT_LIMIT. */
LANE
root_2_4 (gfloat x)
{
  gfloat y = newton_guess (x, -1. / 12, 0.9976800269, 0.9885126933, 0.5908575383);
  gfloat z;

  x = sqrtf (x);
  z = (1.f / 6.f) * x;
  y = (7.f / 6.f) * y - z * ((y * y) * (y * y) * (y * y * y));
  y = (7.f / 6.f) * y - z * ((y * y) * (y * y) * (y * y * y));
  return x * y;
}

/* sse_pow_24's lane, for x up to 16. */
LANE
power_2_4 (gfloat x)
{
  gfloat y = newton_guess (x, -1. / 5, 0.9953189663, 0.9594345146, 0.6742970332);
  gfloat z = (1.f / 5.f) * x;

  y = (6.f / 5.f) * y - z * ((y * y * y) * (y * y * y));
  y = (6.f / 5.f) * y - z * ((y * y * y) * (y * y * y));
  x *= y;
  return x * x * x;
}

/* linear_to_gamma_2_2_sse2's lane, given the power (the Newton one or the fallback). */
LANE
from_linear_with (gfloat x, gfloat power)
{
  gfloat curve = power * 1.055f - FROM_LINEAR_OFFSET;
  gfloat line = x * 12.92f;

  return x > FROM_LINEAR_KNEE ? curve : line;
}

LANE
from_linear_lane (gfloat x)
{
  return from_linear_with (x, root_2_4 (x));
}

gfloat
sse2_float_to_linear_one (gfloat x)
{
  gfloat curve = power_2_4 ((x + 0.055f) * (1 / 1.055f));
  gfloat line = x * (1 / 12.92f);

  return x > TO_LINEAR_KNEE ? curve : line;
}

/* The Newton lanes of n values (alpha's too, restored by the caller), built
 * for AVX2 as well as plain x86-64, chosen at run time; returns how many
 * values are past ROOT_LIMIT, so that the caller looks at the vectors only
 * when some are. */
__attribute__ ((target_clones ("avx2", "default"), optimize (LOOP_OPTIONS))) static gint
from_linear_lanes (const gfloat *in, gfloat *out, gint n)
{
  gint above = 0;

  for (gint i = 0; i < n; i++)
    {
      out[i] = from_linear_lane (in[i]);
      above += in[i] > ROOT_LIMIT;
    }
  return above;
}

/* maxps: the second value unless the first is greater (a NaN loses to
 * what follows it, wins over what precedes it). */
static inline gfloat
maxps (gfloat a, gfloat b)
{
  return a > b ? a : b;
}

/* One of babl's vectors of four (`at`: their indices in the pixels' floats):
 * when sse_max_component's largest is past ROOT_LIMIT, every lane through
 * expf (logf ()). */
static void
vector_fallback (const gfloat *in, gfloat *out, const gint at[4])
{
  gfloat largest = maxps (maxps (in[at[0]], in[at[2]]), maxps (in[at[1]], in[at[3]]));

  if (!(largest > ROOT_LIMIT))
    return;
  for (gint l = 0; l < 4; l++)
    {
      gfloat x = in[at[l]];
      out[at[l]] = from_linear_with (x, expf (logf (x) * (1.0f / 2.4f)));
    }
}

/* Pixels a block: a multiple of four, so that blocks keep babl's vectors. */
#define BLOCK 256

/* n pixels of one call (the last n % 4 alone); `last`: the call's end. */
static void
from_linear_block (const gfloat *in, gfloat *out, gint n, gboolean last)
{
  gint whole = last ? n / 4 * 4 : n;

  if (from_linear_lanes (in, out, 4 * n) == 0)
    return;
  for (gint p = 0; p < whole; p += 4)
    {
      const gint *f = (gint[]) { 4 * p, 4 * p + 1, 4 * p + 4, 4 * p + 5 };
      const gint *g = (gint[]) { 4 * p + 8, 4 * p + 9, 4 * p + 12, 4 * p + 13 };
      const gint *b = (gint[]) { 4 * p + 2, 4 * p + 6, 4 * p + 10, 4 * p + 14 };

      vector_fallback (in, out, f);
      vector_fallback (in, out, g);
      vector_fallback (in, out, b);
    }
  for (gint p = whole; p < n; p++)
    vector_fallback (in, out, (gint[]) { 4 * p, 4 * p + 1, 4 * p + 2, 4 * p + 3 });
}

void
sse2_float_from_linear (const gfloat *in, gfloat *out, glong n)
{
  gfloat block[BLOCK * 4];

  for (glong start = 0; start < n; start += BLOCK)
    {
      gint len = (gint) MIN (BLOCK, n - start);

      memcpy (block, in + 4 * start, sizeof (gfloat) * 4 * len);
      from_linear_block (block, out + 4 * start, len, start + len == n);
      for (gint p = 0; p < len; p++)
        out[4 * (start + p) + 3] = block[4 * p + 3];
    }
}
