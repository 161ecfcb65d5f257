/* The worker's own babl conversions; see fast-conversions.h. Each does what
 * the babl 0.1.98 conversion between the same formats does, operation for
 * operation (babl/base/model-rgb.c, extensions/float.c), with srgb-trc.c's
 * curve: the same bits, which fast-conversions.test.ts checks against babl's
 * own fish. */
#include "fast-conversions.h"
#include "diag.h"
#include "srgb-trc.h"

#include <babl/babl.h>
#include <math.h>
#include <string.h>

/* Pixels per step: converted first into a block of their own, so that the
 * source and the destination may be one buffer (babl converts in place). */
#define PIXELS 64

/* babl_epsilon_for_zero (babl/base/util.h), in double as extensions/float.c
 * and the reference fish call it: alpha with its magnitude kept from going
 * under 2^-16. */
static inline gdouble
alpha_floor (gdouble value)
{
  const gdouble floor = 1 / 65536.0;

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
linear_to_perceptual (const gfloat *src, gpointer out, glong n)
{
  gfloat *dst = out;
  curve_keeping_alpha (srgb_from_linear, src, dst, n);
}

/* R~G~B~A float -> RGBA float (model-rgb.c rgba_perceptual2rgba_float). */
static void
perceptual_to_linear (const gfloat *src, gpointer out, glong n)
{
  gfloat *dst = out;
  curve_keeping_alpha (srgb_to_linear, src, dst, n);
}

/* RGBA float -> R~aG~aB~aA float (float.c conv_rgbaF_linear_rgbAF_perceptual). */
static void
linear_to_perceptual_associated (const gfloat *src, gpointer out, glong n)
{
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

/* babl's reference conversion of a float in 0..1 to u8 (type-u8.c
 * convert_double_u8_scaled): rounded to nearest, ties to even. */
static inline guint8
to_u8 (gdouble value)
{
  if (value < 0.0)
    return 0;
  if (value > 1.0)
    return 255;
  return rint ((value - 0.0) / (1.0 - 0.0) * (255 - 0) + 0);
}

/* R~aG~aB~aA float -> R'G'B'A u8, which babl has no chain of conversions
 * for: its reference fish (babl-fish-reference.c, in double): the values to
 * double, model-rgb.c rgba_perceptual_associated_alpha2rgba and
 * rgba2rgba_nonlinear (each TRC call taking and giving a float), then
 * convert_double_u8_scaled. */
static void
perceptual_associated_to_u8 (const gfloat *src, gpointer out, glong n)
{
  guint8 *dst = out;
  gfloat values[PIXELS * 4] = { 0 }; /* (all written below; gcc cannot tell) */

  for (glong i = 0; i < n; i++)
    {
      gdouble reciprocal = 1.0 / alpha_floor (src[4 * i + 3]);
      for (gint c = 0; c < 3; c++)
        values[4 * i + c] = (gfloat) (src[4 * i + c] * reciprocal);
      values[4 * i + 3] = 0.0f;
    }
  srgb_to_linear (values, values, n * 4);
  srgb_from_linear (values, values, n * 4);
  for (glong i = 0; i < n; i++)
    {
      for (gint c = 0; c < 3; c++)
        dst[4 * i + c] = to_u8 (values[4 * i + c]);
      dst[4 * i + 3] = to_u8 (src[4 * i + 3]);
    }
}

typedef struct
{
  const gchar *source, *destination;
  void       (*step) (const gfloat *src, gpointer dst, glong n);
  gsize        dst_bpp;
  gint64       pixels; /* since the last reset; added to by GEGL's threads */
} FastConversion;

#define FLOATS (4 * sizeof (gfloat))

static FastConversion conversions[] = {
  { "RGBA float", "R~G~B~A float", linear_to_perceptual, FLOATS, 0 },
  { "R~G~B~A float", "RGBA float", perceptual_to_linear, FLOATS, 0 },
  { "RGBA float", "R~aG~aB~aA float", linear_to_perceptual_associated, FLOATS, 0 },
  { "R~aG~aB~aA float", "R'G'B'A u8", perceptual_associated_to_u8, 4, 0 },
};

/* The pixels in steps of PIXELS. */
static void
run (const FastConversion *conversion, const char *src, char *dst, long n)
{
  for (long done = 0; done < n; done += PIXELS)
    conversion->step ((const gfloat *) src + 4 * done, dst + done * conversion->dst_bpp,
                      MIN (PIXELS, n - done));
}

/* babl's linear conversion. */
static void
convert (const Babl *babl, const char *src, char *dst, long n, void *data)
{
  FastConversion *conversion = data;

  (void) babl;
  __atomic_fetch_add (&conversion->pixels, (gint64) n, __ATOMIC_RELAXED);
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

gboolean
fast_conversions_convert (const gchar *source, const gchar *destination, gconstpointer src,
                          gpointer dst, glong n)
{
  const FastConversion *conversion = conversion_of (source, destination);

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
    __atomic_store_n (&conversions[i].pixels, 0, __ATOMIC_RELAXED);
}

void
fast_conversions_describe (JsonBuilder *b)
{
  gboolean any = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (conversions); i++)
    {
      gint64 pixels = __atomic_load_n (&conversions[i].pixels, __ATOMIC_RELAXED);
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
