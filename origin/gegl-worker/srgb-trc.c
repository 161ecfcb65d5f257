/* sRGB's transfer curve, babl 0.1.98's float arithmetic; see srgb-trc.h.
 * The order of every operation is babl's, and nothing contracts into a
 * multiply-add (babl's base code is built for x86-64-v2, which has none),
 * so each value rounds as it does in babl. */
#include "srgb-trc.h"

#include <math.h>
#include <string.h>

/* The vector loops' options, for them and the lane code inlined in them:
 * comparisons need not keep their exception flags, so that the selects
 * vectorise (the worker is built with -fno-math-errno, so that sqrtf does
 * too). Neither changes a value. */
#define LOOP_OPTIONS "O3", "no-trapping-math"
#define LANE static inline __attribute__ ((always_inline, optimize (LOOP_OPTIONS))) gfloat

#define LN2_F 0.69314718055994530942f

/* Where babl's curves leave the straight segment, and where its Newton
 * iterations give way to expf (logf (x) * k). */
#define FROM_LINEAR_KNEE  0.003130804954f
#define TO_LINEAR_KNEE    0.04045f
#define ROOT_LIMIT        1024.0f
#define POWER_LIMIT       16.0f

/* 1 maps to 1: babl offsets the curve by 3 ulps of 2^-24. */
#define FROM_LINEAR_OFFSET (0.055f - 3.0f / (float) (1 << 24))

/* babl's init_newtonf: a first guess of x^exponent from x's exponent and
 * mantissa, for a positive normal x (babl_frexpf's common case). */
LANE
newton_start (gfloat x, gfloat exponent, gfloat c0, gfloat c1, gfloat c2)
{
  guint32 bits, mantissa_bits;
  gint    power;
  gfloat  mantissa, y;

  memcpy (&bits, &x, sizeof bits);
  power = (gint) ((bits >> 23) & 0xff) - 0x7e;
  mantissa_bits = (bits & 0x807fffffu) | 0x3f000000u;
  memcpy (&mantissa, &mantissa_bits, sizeof mantissa);
  y = 2 * mantissa + (gfloat) (power - 2);
  c1 *= LN2_F * exponent;
  c2 *= LN2_F * LN2_F * exponent * exponent;
  return c0 + c1 * y + c2 * y * y;
}

/* babl_pow_1_24f for a positive normal x up to ROOT_LIMIT. */
LANE
root_2_4 (gfloat x)
{
  gfloat y = newton_start (x, -1.f / 12, 0.9976800269f, 0.9885126933f, 0.5908575383f);
  gfloat z;

  x = sqrtf (x);
  z = (1.f / 6.f) * x;
  /* babl's three iterations, written out so that the loops vectorise. */
  y = (7.f / 6.f) * y - z * ((y * y) * (y * y) * (y * y * y));
  y = (7.f / 6.f) * y - z * ((y * y) * (y * y) * (y * y * y));
  y = (7.f / 6.f) * y - z * ((y * y) * (y * y) * (y * y * y));
  return x * y;
}

/* babl_pow_24f for a positive normal x up to POWER_LIMIT. */
LANE
power_2_4 (gfloat x)
{
  gfloat y = newton_start (x, -1.f / 5, 0.9953189663f, 0.9594345146f, 0.6742970332f);

  y = (1.f + 1.f / 5) * y - ((1.f / 5) * x * (y * y)) * ((y * y) * (y * y));
  y = (1.f + 1.f / 5) * y - ((1.f / 5) * x * (y * y)) * ((y * y) * (y * y));
  y = (1.f + 1.f / 5) * y - ((1.f / 5) * x * (y * y)) * ((y * y) * (y * y));
  x *= y;
  return x * x * x;
}

LANE
from_linear_lane (gfloat x)
{
  gfloat curve = 1.055f * root_2_4 (x) - FROM_LINEAR_OFFSET;
  gfloat line = 12.92f * x;
  return x > FROM_LINEAR_KNEE ? curve : line;
}

LANE
to_linear_lane (gfloat v)
{
  gfloat curve = power_2_4 ((v + 0.055f) / 1.055f);
  gfloat line = v / 12.92f;
  return v > TO_LINEAR_KNEE ? curve : line;
}

gfloat
srgb_from_linear_one (gfloat linear)
{
  if (linear > ROOT_LIMIT)
    return 1.055f * expf (logf (linear) * (1.0f / 2.4f)) - FROM_LINEAR_OFFSET;
  return from_linear_lane (linear);
}

gfloat
srgb_to_linear_one (gfloat encoded)
{
  if (encoded > TO_LINEAR_KNEE)
    {
      gfloat x = (encoded + 0.055f) / 1.055f;
      if (x > POWER_LIMIT)
        return expf (logf (x) * 2.4f);
    }
  return to_linear_lane (encoded);
}

/* The vector loops: built for AVX2 as well as plain x86-64, chosen at run
 * time; neither contracts multiply-adds. Lanes outside the Newton range get
 * a value that the caller replaces; the loops count the values above
 * `limit`, so that the caller looks for them only when there are some. */
#define LANE_LOOP(name, lane)                                                              \
  __attribute__ ((target_clones ("avx2", "default"), optimize (LOOP_OPTIONS))) gint         \
  name (const gfloat *in, gfloat *out, gint n, gfloat limit)                               \
  {                                                                                        \
    gint above = 0;                                                                        \
    for (gint i = 0; i < n; i++)                                                           \
      {                                                                                    \
        out[i] = lane (in[i]);                                                             \
        above += in[i] > limit;                                                            \
      }                                                                                    \
    return above;                                                                          \
  }

gint srgb_from_linear_lanes (const gfloat *in, gfloat *out, gint n, gfloat limit);
gint srgb_to_linear_lanes (const gfloat *in, gfloat *out, gint n, gfloat limit);
LANE_LOOP (srgb_from_linear_lanes, from_linear_lane)
LANE_LOOP (srgb_to_linear_lanes, to_linear_lane)

/* Values are taken in blocks, copied first so that in and out may be one;
 * those above `limit` (the Newton range's end, in the input's terms) get
 * `one`'s value instead of the lanes'. */
#define BLOCK 256

typedef gint (*Lanes) (const gfloat *in, gfloat *out, gint n, gfloat limit);

static void
by_blocks (Lanes lanes, gfloat (*one) (gfloat), gfloat limit, const gfloat *in, gfloat *out,
           gsize n)
{
  gfloat block[BLOCK];

  for (gsize start = 0; start < n; start += BLOCK)
    {
      gint len = (gint) MIN (BLOCK, n - start);

      memcpy (block, in + start, len * sizeof *block);
      if (lanes (block, out + start, len, limit) == 0)
        continue;
      for (gint i = 0; i < len; i++)
        if (block[i] > limit)
          out[start + i] = one (block[i]);
    }
}

void
srgb_from_linear (const gfloat *in, gfloat *out, gsize n)
{
  by_blocks (srgb_from_linear_lanes, srgb_from_linear_one, ROOT_LIMIT, in, out, n);
}

void
srgb_to_linear (const gfloat *in, gfloat *out, gsize n)
{
  /* (v + 0.055) / 1.055 stays under POWER_LIMIT up to v = POWER_LIMIT;
   * srgb_to_linear_one is right for any v above. */
  by_blocks (srgb_to_linear_lanes, srgb_to_linear_one, POWER_LIMIT, in, out, n);
}
