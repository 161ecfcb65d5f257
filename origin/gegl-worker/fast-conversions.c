/* The worker's own babl conversions; see fast-conversions.h. Each does what
 * the babl 0.1.98 conversion between the same formats does, operation for
 * operation (babl/base/model-rgb.c, extensions/float.c), with srgb-trc.c's
 * curve, or what a chain of babl's conversions does, step for step, with
 * sse2-float-curve.c's: the same bits, which fast-conversions.test.ts checks
 * against babl's own fish. */
#include "fast-conversions.h"
#include "diag.h"
#include "srgb-trc.h"
#include "sse2-float-curve.h"

#include <babl/babl.h>
#include <math.h>
#include <string.h>

/* Pixels per step: converted first into a block of their own, so that the
 * source and the destination may be one buffer (babl converts in place). */
#define PIXELS 64

/* The chains' loops, built for `target` as well as plain x86-64, chosen at
 * run time, with the code they call inlined (CHAIN_INLINE: GCC inlines no
 * function built with other options). CHAIN_LOOP's AVX2 has no FMA, so no
 * multiply-add contracts; the one loop built for x86-64-v3 has its FMA
 * where babl's step has it (encoded_associated_to_u16). */
#define CHAIN_OPTIONS optimize ("O3", "no-trapping-math")
#define CHAIN_LOOP_FOR(target)                                                            \
  __attribute__ ((target_clones (target, "default"), CHAIN_OPTIONS)) static void
#define CHAIN_LOOP   CHAIN_LOOP_FOR ("avx2")
#define CHAIN_INLINE static inline __attribute__ ((always_inline, CHAIN_OPTIONS))

/* babl_epsilon_for_zero (babl/base/util.h), in double as extensions/float.c
 * and the reference fish call it: alpha with its magnitude kept from going
 * under 2^-16. */
CHAIN_INLINE gdouble
alpha_floor (gdouble value)
{
  const gdouble floor = 1 / 65536.0;

  return value * (value > floor || value < -floor) +
         floor * (value <= floor && value >= -floor);
}

/* babl_epsilon_for_zero_float (babl/base/util.h), as the float extensions
 * (sse2-float.c, gegl-fixups.c) call it. */
CHAIN_INLINE gfloat
alpha_floor_float (gfloat value)
{
  const gfloat floor = 1 / 65536.0f;

  return value * (value > floor || value < -floor) +
         floor * (value <= floor && value >= -floor);
}

typedef void (*Curve) (const gfloat *in, gfloat *out, gsize n);

/* The curve on the colour of n RGBA pixels, alpha kept. */
static void
curve_keeping_alpha (Curve curve, const gfloat *src, gfloat *dst, glong n)
{
  gfloat values[PIXELS * 4];

  curve (src, values, n * 4);
  for (glong i = 0; i < n; i++)
    {
      gfloat alpha = src[4 * i + 3];
      memcpy (dst + 4 * i, values + 4 * i, 3 * sizeof *dst);
      dst[4 * i + 3] = alpha;
    }
}

/* RGBA float -> R~G~B~A float (model-rgb.c rgba2rgba_perceptual_float). */
static void
linear_to_perceptual (gconstpointer in, gpointer out, glong n)
{
  const gfloat *src = in;
  gfloat *dst = out;
  curve_keeping_alpha (srgb_from_linear, src, dst, n);
}

/* R~G~B~A float -> RGBA float (model-rgb.c rgba_perceptual2rgba_float). */
static void
perceptual_to_linear (gconstpointer in, gpointer out, glong n)
{
  const gfloat *src = in;
  gfloat *dst = out;
  curve_keeping_alpha (srgb_to_linear, src, dst, n);
}

/* RGBA float -> R~aG~aB~aA float (float.c conv_rgbaF_linear_rgbAF_perceptual). */
static void
linear_to_perceptual_associated (gconstpointer in, gpointer out, glong n)
{
  const gfloat *src = in;
  gfloat *dst = out;
  gfloat curve[PIXELS * 4];

  srgb_from_linear (src, curve, n * 4);
  for (glong i = 0; i < n; i++)
    {
      gfloat alpha = src[4 * i + 3];
      gfloat used = (gfloat) alpha_floor (alpha);
      for (gint c = 0; c < 3; c++)
        dst[4 * i + c] = curve[4 * i + c] * used;
      dst[4 * i + 3] = alpha;
    }
}

/* YA float -> R~aG~aB~aA float, babl's chain of grey.c
 * conv_yaF_linear_rgbaF_linear (the grey into each of R, G and B) and the
 * conversion above: the curve once for the grey, not once per colour. */
static void
grey_to_perceptual_associated (gconstpointer in, gpointer out, glong n)
{
  const gfloat *src = in;
  gfloat *dst = out;
  gfloat grey[PIXELS] = { 0 }; /* (all read are written below; gcc cannot tell) */
  gfloat alpha[PIXELS], curve[PIXELS];

  for (glong i = 0; i < n; i++)
    {
      grey[i] = src[2 * i];
      alpha[i] = src[2 * i + 1];
    }
  srgb_from_linear (grey, curve, n);
  for (glong i = 0; i < n; i++)
    {
      gfloat value = curve[i] * (gfloat) alpha_floor (alpha[i]);
      dst[4 * i] = dst[4 * i + 1] = dst[4 * i + 2] = value;
      dst[4 * i + 3] = alpha[i];
    }
}

/* babl's reference conversion of a float in 0..1 to u8 (type-u8.c
 * convert_double_u8_scaled): rounded to nearest, ties to even. */
CHAIN_INLINE guint8
to_u8 (gdouble value)
{
  if (value < 0.0)
    return 0;
  if (value > 1.0)
    return 255;
  return rint ((value - 0.0) / (1.0 - 0.0) * (255 - 0) + 0);
}

/* The u8 of an encoded colour through babl's reference fish (below): to
 * linear, back to encoded (each TRC call taking and giving a float), then
 * convert_double_u8_scaled. */
static guint8
encoded_u8_by_curves (gfloat value)
{
  return to_u8 (srgb_from_linear_one (srgb_to_linear_one (value)));
}

/* encoded_u8_by_curves from a table, for the floats from 0 to 2 (the rest,
 * and what is not a number, go through the curves). A float x there has
 * the u8 k = floor (255 x) or k + 1 (the curves are each other's inverse
 * within a few ulps), k + 1 from the float where the curves' u8 steps to
 * it (up to 254, then 255 from where it steps to 255), but about that step,
 * where the round trip may go up and down by an ulp across the u8's
 * rounding boundary: the floats that near a step go through the curves.
 * Under 2^-9, below the step to 1, the u8 is 0 (both curves are on their
 * straight segments there: x / 12.92 and back times 12.92, within an ulp
 * of x, which is under 0.5 / 255). fast-conversions-compare checks the
 * floats of the range against the curves. */
#define U8_TABLE_END  0x40000000u
/* How near a step, in floats, the round trip may go up and down. */
#define U8_STEP_REACH 64

/* [k], for k from 1: the first float whose u8 is k, as bits. */
static guint32  u8_step[256];
static gboolean u8_table_usable;

CHAIN_INLINE guint32
bits_of (gfloat value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof bits);
  return bits;
}

static guint8
u8_of_bits (guint32 bits)
{
  gfloat value;

  memcpy (&value, &bits, sizeof value);
  return encoded_u8_by_curves (value);
}

/* The step up to u8 k, between floats of u8 k - 1 and k; FALSE if the u8
 * is not k - 1 and k as far from it as U8_STEP_REACH. */
static gboolean
u8_step_find (guint k)
{
  guint32 below = bits_of ((k - 0.75f) / 255), above = bits_of ((k - 0.25f) / 255);

  if (u8_of_bits (below) != k - 1 || u8_of_bits (above) != k)
    return FALSE;
  while (above - below > 1)
    {
      guint32 middle = below + (above - below) / 2;
      *(u8_of_bits (middle) < k ? &below : &above) = middle;
    }
  u8_step[k] = above;
  return u8_of_bits (above - U8_STEP_REACH - 1) == k - 1 &&
         u8_of_bits (above + U8_STEP_REACH + 1) == k;
}

static gboolean
u8_table_fill (void)
{
  for (guint k = 1; k < G_N_ELEMENTS (u8_step); k++)
    if (!u8_step_find (k))
      return FALSE;
  return TRUE;
}

/* The table's u8 of each of n values into u8s, and in near whether the
 * value is out of the table or near a step (its u8 is then not its own);
 * returns how many are. */
CHAIN_INLINE gint
u8s_from_table (const gfloat *values, guint8 *u8s, guint8 *near, glong n)
{
  gint nears = 0;

  for (glong j = 0; j < n; j++)
    {
      guint32 bits = bits_of (values[j]);
      gfloat  scaled = values[j] * 255;
      gint    k = (gint) (scaled > 0 ? MIN (scaled, 254.0f) : 0.0f);
      guint32 step = u8_step[k + 1];

      u8s[j] = (guint8) (k + (bits >= step));
      near[j] = (bits >= U8_TABLE_END) | (bits - step + U8_STEP_REACH <= 2 * U8_STEP_REACH);
      nears += near[j];
    }
  return nears;
}

/* R~aG~aB~aA float -> R'G'B'A u8, which babl has no chain of conversions
 * for: its reference fish (babl-fish-reference.c, in double): the values to
 * double, model-rgb.c rgba_perceptual_associated_alpha2rgba and
 * rgba2rgba_nonlinear, then convert_double_u8_scaled; each colour from the
 * table but where it has none. */
CHAIN_LOOP
perceptual_associated_to_u8 (gconstpointer in, gpointer out, glong n)
{
  const gfloat *src = in;
  guint8 *dst = out;
  gfloat values[PIXELS * 4] = { 0 }; /* (all written below; gcc cannot tell) */
  guint8 u8s[PIXELS * 4], near[PIXELS * 4], alphas[PIXELS];

  for (glong i = 0; i < n; i++)
    {
      gdouble reciprocal = 1.0 / alpha_floor (src[4 * i + 3]);
      for (gint c = 0; c < 3; c++)
        values[4 * i + c] = (gfloat) (src[4 * i + c] * reciprocal);
      values[4 * i + 3] = 0.0f;
      alphas[i] = to_u8 (src[4 * i + 3]);
    }
  if (!u8_table_usable)
    {
      srgb_to_linear (values, values, n * 4);
      srgb_from_linear (values, values, n * 4);
      for (glong j = 0; j < 4 * n; j++)
        u8s[j] = to_u8 (values[j]);
    }
  else if (u8s_from_table (values, u8s, near, 4 * n) != 0)
    for (glong j = 0; j < 4 * n; j++)
      if (near[j])
        u8s[j] = encoded_u8_by_curves (values[j]);
  for (glong i = 0; i < n; i++)
    u8s[4 * i + 3] = alphas[i];
  memcpy (dst, u8s, 4 * n);
}

/* sse2-int16.c conv_rgba16_rgbaF's value of a u16. */
CHAIN_INLINE gfloat
u16_value (guint16 value)
{
  return value * (1.f / 65535);
}

/* sse2_float_to_linear_one of every u16 value: a u16 has 65536. */
static gfloat u16_linear[65536];
/* srgb_from_linear_one of each of those: a u16's value there and back. */
static gfloat u16_perceptual[65536];

/* The tables of the conversions, filled once. */
static void
tables_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  for (guint v = 0; v < G_N_ELEMENTS (u16_linear); v++)
    {
      u16_linear[v] = sse2_float_to_linear_one (u16_value ((guint16) v));
      u16_perceptual[v] = srgb_from_linear_one (u16_linear[v]);
    }
  u8_table_usable = u8_table_fill ();
  if (!u8_table_usable)
    diag_log ("fast conversions: the u8 table of encoded colours is off");
  g_once_init_leave (&done, 1);
}

/* The chains' conversions multiply each colour by its pixel's alpha or
 * that alpha's reciprocal, and alpha by 1 (which keeps it): a factor for
 * every float, so that the products are one loop over the floats. */
typedef gfloat Factors[PIXELS * 4];

/* `by` (of pixel i) for each pixel's colour, 1 for its alpha. */
#define FACTORS(by)                                                                        \
  for (glong i = 0; i < n; i++)                                                            \
    {                                                                                      \
      gfloat pixel_by = (by);                                                              \
      factors[4 * i] = factors[4 * i + 1] = factors[4 * i + 2] = pixel_by;                 \
      factors[4 * i + 3] = 1.0f;                                                           \
    }

/* R'G'B'A u16 -> premultiplied float: each colour's value (`linear`: from
 * u16_linear; else u16_value) by its pixel's alpha_floor_float, alpha as
 * u16_value gives it. */
CHAIN_INLINE void
u16_to_associated (const guint16 *src, gfloat *dst, glong n, gboolean linear)
{
  Factors factors;

  FACTORS (alpha_floor_float (u16_value (src[4 * i + 3])));
  for (glong j = 0; j < 4 * n; j++)
    dst[j] = (linear ? u16_linear[src[j]] : u16_value (src[j])) * factors[j];
  for (glong i = 0; i < n; i++)
    dst[4 * i + 3] = u16_value (src[4 * i + 3]);
}

/* R'G'B'A u16 -> RaGaBaA float, babl's chain of sse2-int16.c
 * conv_rgba16_rgbaF, sse2-float.c conv_rgbaF_gamma_rgbaF_linear and
 * conv_rgbaF_linear_rgbAF_linear: each colour's curve from the table. */
CHAIN_LOOP
u16_to_linear_associated (gconstpointer in, gpointer out, glong n)
{
  u16_to_associated (in, out, n, TRUE);
}

/* R'G'B'A u16 -> R'aG'aB'aA float, babl's chain of sse2-int16.c
 * conv_rgba16_rgbaF and gegl-fixups.c conv_rgbaF_rgbAF. */
CHAIN_LOOP
u16_to_encoded_associated (gconstpointer in, gpointer out, glong n)
{
  u16_to_associated (in, out, n, FALSE);
}

/* R'G'B'A u16 -> R~aG~aB~aA float, babl's chain of sse2-int16.c
 * conv_rgba16_rgbaF, sse2-float.c conv_rgbaF_gamma_rgbaF_linear and the
 * conversion from RGBA float above: each colour's two curves from a table,
 * times its pixel's alpha as linear_to_perceptual_associated has it. */
CHAIN_LOOP
u16_to_perceptual_associated (gconstpointer in, gpointer out, glong n)
{
  const guint16 *src = in;
  gfloat        *dst = out;

  for (glong i = 0; i < n; i++)
    {
      gfloat alpha = u16_value (src[4 * i + 3]);
      gfloat used = (gfloat) alpha_floor (alpha);

      for (gint c = 0; c < 3; c++)
        dst[4 * i + c] = u16_perceptual[src[4 * i + c]] * used;
      dst[4 * i + 3] = alpha;
    }
}

/* n RaGaBaA float pixels into R'G'B'A float `values`: each colour by its
 * alpha's reciprocal (conv_rgbAF_linear_rgbaF_linear_shuffle's arithmetic,
 * and gegl-fixups.c conv_rgbAF_rgbaF's), then sse2-float.c
 * conv_rgbaF_linear_rgbaF_gamma. n is a multiple of 4 but for a call's
 * last step (run), so that the curve's vectors are babl's. */
CHAIN_INLINE void
linear_associated_to_encoded (const gfloat *src, gfloat *values, glong n)
{
  Factors factors;

  FACTORS (1.0f / alpha_floor_float (src[4 * i + 3]));
  for (glong j = 0; j < 4 * n; j++)
    values[j] = src[j] * factors[j];
  /* All 4 n values are written above; gcc cannot tell, and zeroing them
   * first was a tenth of a conversion. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
  sse2_float_from_linear (values, values, n);
#pragma GCC diagnostic pop
}

/* RaGaBaA float -> R'aG'aB'aA float, babl's chain of sse2-float.c
 * conv_rgbAF_linear_rgbaF_linear_shuffle, conv_rgbaF_linear_rgbaF_gamma and
 * gegl-fixups.c conv_rgbaF_rgbAF. */
CHAIN_LOOP
linear_associated_to_encoded_associated (gconstpointer in, gpointer out, glong n)
{
  const gfloat *src = in;
  gfloat       *dst = out;
  Factors       factors;
  gfloat        values[PIXELS * 4];

  linear_associated_to_encoded (src, values, n);
  FACTORS (alpha_floor_float (values[4 * i + 3]));
  for (glong j = 0; j < 4 * n; j++)
    dst[j] = values[j] * factors[j];
}

/* x86-64-v3-simple.so's float_to_u16 (simple.c), whose multiply-add its
 * build for FMA contracts: NaN, as any value not above 0, gives 0. */
CHAIN_INLINE guint16
u16_of (gfloat value)
{
  gint32 rounded = (gint32) fmaf (65535.0f, MIN (MAX (value, 0.0f), 1.0f), 0.5f);

  return value >= 1.0f ? 0xffff : value > 0.0f ? (guint16) rounded : 0;
}

/* R'aG'aB'aA float -> R'G'B'A u16, babl's chain of gegl-fixups.c
 * conv_rgbAF_rgbaF and x86-64-v3-simple.so's float_to_u16_x4: built for
 * x86-64-v3, whose FMA makes u16_of's multiply-add one instruction. */
CHAIN_LOOP_FOR ("arch=x86-64-v3")
encoded_associated_to_u16 (gconstpointer in, gpointer out, glong n)
{
  const gfloat *src = in;
  guint16      *dst = out;
  Factors       factors;

  FACTORS (1.0f / alpha_floor_float (src[4 * i + 3]));
  for (glong j = 0; j < 4 * n; j++)
    dst[j] = u16_of (src[j] * factors[j]);
}

/* babl runs a chain's conversions over chunks of this many pixels of a
 * call (babl-fish-path.c MAX_BUFFER_SIZE), each step once per chunk, in
 * buffers aligned to 16 bytes. */
#define BABL_CHAIN_CHUNK 512

/* sse2-int8.c conv_yF_y8's u8 of a float in its vectors: rounded by adding
 * a half and truncating, at most 255 by minps (which makes NaN 255). */
CHAIN_INLINE guint8
u8_of_sse2_vectors (gfloat value)
{
  gfloat rounded = value * 255.0f + 0.5f;

  rounded = rounded < 255.0f ? rounded : 255.0f;
  return rounded >= 1.0f ? (guint8) (gint32) rounded : 0;
}

/* RaGaBaA float -> R'G'B'A u8 (a linear operation's result to the wire),
 * babl's chain of gegl-fixups.c conv_rgbAF_rgbaF, sse2-float.c
 * conv_rgbaF_linear_rgbaF_gamma and sse2-int8.c conv_rgbaF_rgba8, for
 * pixels `first` on of a call of `total`: conv_yF_y8 converts the last
 * pixel of each of the chain's chunks without vectors, where NaN is 0. */
CHAIN_LOOP
linear_associated_to_u8 (gconstpointer in, gpointer out, glong n, glong first, glong total)
{
  const gfloat *src = in;
  guint8       *dst = out;
  gfloat        values[PIXELS * 4];
  glong         last = first + n - 1;

  linear_associated_to_encoded (src, values, n);
  for (glong j = 0; j < 4 * n; j++)
    dst[j] = u8_of_sse2_vectors (values[j]);
  if (last % BABL_CHAIN_CHUNK == BABL_CHAIN_CHUNK - 1 || last == total - 1)
    for (glong j = 4 * (n - 1); j < 4 * n; j++)
      if (isnan (values[j]))
        dst[j] = 0;
}

typedef struct
{
  const gchar *source, *destination;
  void       (*step) (gconstpointer src, gpointer dst, glong n);
  gsize        src_bpp, dst_bpp;
  /* The chain of babl's conversions it does in one, as babl's fish cache
   * names their steps ("<extension file> <index>: <formats>"); NULL: it
   * does one of babl's. */
  const gchar *const *chain;
  /* Instead of step, for a conversion whose pixels depend on where they
   * are in babl's call: n of them from `first` on, of `total`. */
  void       (*step_in_call) (gconstpointer src, gpointer dst, glong n, glong first, glong total);
} FastConversion;

#define FLOATS (4 * sizeof (gfloat))
#define U16S   (4 * sizeof (guint16))
#define GREY_FLOATS (2 * sizeof (gfloat))

static const gchar *const GREY_TO_PERCEPTUAL_ASSOCIATED[] = {
  "x86-64-v3-grey.so 0: YA float to RGBA float",
  "x86-64-v3-float.so 0: RGBA float to R~aG~aB~aA float",
  NULL,
};

static const gchar *const U16_TO_LINEAR_ASSOCIATED[] = {
  "sse2-int16.so 0: R'G'B'A u16 to R'G'B'A float",
  "sse2-float.so 0: R'G'B'A float to RGBA float",
  "sse2-float.so 0: RGBA float to RaGaBaA float",
  NULL,
};

static const gchar *const U16_TO_PERCEPTUAL_ASSOCIATED[] = {
  "sse2-int16.so 0: R'G'B'A u16 to R'G'B'A float",
  "sse2-float.so 0: R'G'B'A float to RGBA float",
  "x86-64-v3-float.so 0: RGBA float to R~aG~aB~aA float",
  NULL,
};

static const gchar *const U16_TO_ENCODED_ASSOCIATED[] = {
  "sse2-int16.so 0: R'G'B'A u16 to R'G'B'A float",
  "x86-64-v3-gegl-fixups.so 0: R'G'B'A float to R'aG'aB'aA float",
  NULL,
};

static const gchar *const LINEAR_TO_ENCODED_ASSOCIATED[] = {
  "sse2-float.so 0: RaGaBaA float to RGBA float",
  "sse2-float.so 0: RGBA float to R'G'B'A float",
  "x86-64-v3-gegl-fixups.so 0: R'G'B'A float to R'aG'aB'aA float",
  NULL,
};

static const gchar *const LINEAR_ASSOCIATED_TO_U8[] = {
  "x86-64-v3-gegl-fixups.so 0: RaGaBaA float to RGBA float",
  "sse2-float.so 0: RGBA float to R'G'B'A float",
  "sse2-int8.so 0: R'G'B'A float to R'G'B'A u8",
  NULL,
};

static const gchar *const ENCODED_ASSOCIATED_TO_U16[] = {
  "x86-64-v3-gegl-fixups.so 0: R'aG'aB'aA float to R'G'B'A float",
  "x86-64-v3-simple.so 0: R'G'B'A float to R'G'B'A u16",
  NULL,
};

static FastConversion conversions[] = {
  { "RGBA float", "R~G~B~A float", linear_to_perceptual, FLOATS, FLOATS, NULL, NULL },
  { "R~G~B~A float", "RGBA float", perceptual_to_linear, FLOATS, FLOATS, NULL, NULL },
  { "RGBA float", "R~aG~aB~aA float", linear_to_perceptual_associated, FLOATS, FLOATS, NULL,
    NULL },
  { "YA float", "R~aG~aB~aA float", grey_to_perceptual_associated, GREY_FLOATS, FLOATS,
    GREY_TO_PERCEPTUAL_ASSOCIATED, NULL },
  { "R~aG~aB~aA float", "R'G'B'A u8", perceptual_associated_to_u8, FLOATS, 4, NULL, NULL },
  { "R'G'B'A u16", "RaGaBaA float", u16_to_linear_associated, U16S, FLOATS,
    U16_TO_LINEAR_ASSOCIATED, NULL },
  { "R'G'B'A u16", "R'aG'aB'aA float", u16_to_encoded_associated, U16S, FLOATS,
    U16_TO_ENCODED_ASSOCIATED, NULL },
  { "R'G'B'A u16", "R~aG~aB~aA float", u16_to_perceptual_associated, U16S, FLOATS,
    U16_TO_PERCEPTUAL_ASSOCIATED, NULL },
  { "RaGaBaA float", "R'aG'aB'aA float", linear_associated_to_encoded_associated, FLOATS,
    FLOATS, LINEAR_TO_ENCODED_ASSOCIATED, NULL },
  { "R'aG'aB'aA float", "R'G'B'A u16", encoded_associated_to_u16, FLOATS, U16S,
    ENCODED_ASSOCIATED_TO_U16, NULL },
  { "RaGaBaA float", "R'G'B'A u8", NULL, FLOATS, 4, LINEAR_ASSOCIATED_TO_U8,
    linear_associated_to_u8 },
};

/* The pixels in steps of PIXELS (a multiple of 4: see
 * linear_associated_to_encoded). */
static void
run (const FastConversion *conversion, const char *src, char *dst, long n)
{
  for (long done = 0; done < n; done += PIXELS)
    {
      const char *from = src + done * conversion->src_bpp;
      char       *to = dst + done * conversion->dst_bpp;
      long        count = MIN (PIXELS, n - done);

      if (conversion->step_in_call)
        conversion->step_in_call (from, to, count, done, n);
      else
        conversion->step (from, to, count);
    }
}

/* The pixels each conversion converted since the last reset, counted by
 * each of GEGL's threads on cache lines of its own, summed when read: one
 * counter that the threads shared was a tenth of the worker's samples in a
 * 12 MP blend.
 * Threads past COUNTING_THREADS share the last lines. */
#define COUNTING_THREADS 64

typedef struct
{
  gint64 pixels[G_N_ELEMENTS (conversions)];
} __attribute__ ((aligned (64))) ThreadCounts;

static ThreadCounts thread_counts[COUNTING_THREADS];
static gint         counting_threads;

static gint64 *
counts_of_this_thread (void)
{
  static __thread ThreadCounts *mine;

  if (!mine)
    mine = &thread_counts[MIN (__atomic_fetch_add (&counting_threads, 1, __ATOMIC_RELAXED),
                               COUNTING_THREADS - 1)];
  return mine->pixels;
}

static gint64
pixels_converted (gsize conversion)
{
  gint64 pixels = 0;

  for (gint t = 0; t < COUNTING_THREADS; t++)
    pixels += __atomic_load_n (&thread_counts[t].pixels[conversion], __ATOMIC_RELAXED);
  return pixels;
}

/* babl's linear conversion. */
static void
convert (const Babl *babl, const char *src, char *dst, long n, void *data)
{
  FastConversion *conversion = data;

  (void) babl;
  __atomic_fetch_add (&counts_of_this_thread ()[conversion - conversions], (gint64) n,
                      __ATOMIC_RELAXED);
  run (conversion, src, dst, n);
}

/* The conversion from `source` to `destination`, or NULL. */
static FastConversion *
conversion_of (const gchar *source, const gchar *destination)
{
  for (gsize i = 0; i < G_N_ELEMENTS (conversions); i++)
    if (strcmp (conversions[i].source, source) == 0 &&
        strcmp (conversions[i].destination, destination) == 0)
      return &conversions[i];
  return NULL;
}

gboolean
fast_conversions_does (const gchar *source, const gchar *destination)
{
  return conversion_of (source, destination) != NULL;
}

const gchar *const *
fast_conversions_chain (const gchar *source, const gchar *destination)
{
  const FastConversion *conversion = conversion_of (source, destination);

  return conversion ? conversion->chain : NULL;
}

gboolean
fast_conversions_convert (const gchar *source, const gchar *destination, gconstpointer src,
                          gpointer dst, glong n)
{
  const FastConversion *conversion = conversion_of (source, destination);

  tables_init ();
  if (conversion)
    run (conversion, src, dst, n);
  return conversion != NULL;
}

gboolean
fast_conversions_enabled (void)
{
  const gchar *setting = g_getenv ("IMGFLO_WORKER_FAST_CONVERSIONS");

  return !(setting && strcmp (setting, "0") == 0);
}

void
fast_conversions_register (void)
{
  tables_init ();
  for (gsize i = 0; i < G_N_ELEMENTS (conversions); i++)
    babl_conversion_new (babl_format (conversions[i].source),
                         babl_format (conversions[i].destination), "linear", convert, "data",
                         &conversions[i], NULL);
  diag_log ("fast conversions: %u registered", (guint) G_N_ELEMENTS (conversions));
}

void
fast_conversions_reset (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (conversions); i++)
    for (gint t = 0; t < COUNTING_THREADS; t++)
      __atomic_store_n (&thread_counts[t].pixels[i], 0, __ATOMIC_RELAXED);
}

void
fast_conversions_describe (JsonBuilder *b)
{
  gboolean any = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (conversions); i++)
    {
      gint64 pixels = pixels_converted (i);
      gchar *name;

      if (pixels == 0)
        continue;
      if (!any)
        {
          json_builder_set_member_name (b, "conversions");
          json_builder_begin_object (b);
          any = TRUE;
        }
      name = g_strdup_printf ("%s to %s", conversions[i].source, conversions[i].destination);
      json_builder_set_member_name (b, name);
      json_builder_add_int_value (b, pixels);
      g_free (name);
    }
  if (any)
    json_builder_end_object (b);
}
