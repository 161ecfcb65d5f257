/* The worker's own babl conversions; see fast-conversions.h. Each does what
 * the babl 0.1.98 conversion between the same formats does, operation for
 * operation (babl/base/model-rgb.c, extensions/float.c), with srgb-trc.c's
 * curve: the same bits, which fast-conversions.test.ts checks against babl's
 * own fish. */
#include "fast-conversions.h"
#include "diag.h"
#include "srgb-trc.h"

#include <babl/babl.h>
#include <string.h>

/* Pixels per step: converted first into a block of their own, so that the
 * source and the destination may be one buffer (babl converts in place). */
#define PIXELS 64

/* babl_epsilon_for_zero (babl/base/util.h), in double as extensions/float.c
 * calls it: alpha with its magnitude kept from going under 2^-16. */
static inline gfloat
alpha_floor (gfloat alpha)
{
  const gdouble floor = 1 / 65536.0;
  gdouble       value = alpha;

  return (gfloat) (value * (value > floor || value < -floor) +
                   floor * (value <= floor && value >= -floor));
}

/* RGBA float -> R~G~B~A float (model-rgb.c rgba2rgba_perceptual_float). */
static void
linear_to_perceptual (const gfloat *src, gfloat *dst, glong n)
{
  gfloat curve[PIXELS * 4];

  srgb_from_linear (src, curve, n * 4);
  for (glong i = 0; i < n; i++)
    {
      gfloat alpha = src[4 * i + 3];
      memcpy (dst + 4 * i, curve + 4 * i, 3 * sizeof *dst);
      dst[4 * i + 3] = alpha;
    }
}

/* R~G~B~A float -> RGBA float (model-rgb.c rgba_perceptual2rgba_float). */
static void
perceptual_to_linear (const gfloat *src, gfloat *dst, glong n)
{
  gfloat curve[PIXELS * 4];

  srgb_to_linear (src, curve, n * 4);
  for (glong i = 0; i < n; i++)
    {
      gfloat alpha = src[4 * i + 3];
      memcpy (dst + 4 * i, curve + 4 * i, 3 * sizeof *dst);
      dst[4 * i + 3] = alpha;
    }
}

/* RGBA float -> R~aG~aB~aA float (float.c conv_rgbaF_linear_rgbAF_perceptual). */
static void
linear_to_perceptual_associated (const gfloat *src, gfloat *dst, glong n)
{
  gfloat curve[PIXELS * 4];

  srgb_from_linear (src, curve, n * 4);
  for (glong i = 0; i < n; i++)
    {
      gfloat alpha = src[4 * i + 3];
      gfloat used = alpha_floor (alpha);
      for (gint c = 0; c < 3; c++)
        dst[4 * i + c] = curve[4 * i + c] * used;
      dst[4 * i + 3] = alpha;
    }
}

/* RaGaBaA float -> R~aG~aB~aA float (float.c conv_rgbAF_linear_rgbAF_perceptual). */
static void
associated_to_perceptual_associated (const gfloat *src, gfloat *dst, glong n)
{
  gfloat curve[PIXELS * 4] = { 0 }; /* (all written below; gcc cannot tell) */
  gfloat alphas[PIXELS];

  for (glong i = 0; i < n; i++)
    {
      gfloat alpha = src[4 * i + 3];
      gfloat recip = alpha == 0.0f ? 0.0f : 1.0f / alpha;
      for (gint c = 0; c < 3; c++)
        curve[4 * i + c] = src[4 * i + c] * recip;
      curve[4 * i + 3] = 0.0f;
      alphas[i] = alpha;
    }
  srgb_from_linear (curve, curve, n * 4);
  for (glong i = 0; i < n; i++)
    {
      gfloat alpha = alphas[i];
      for (gint c = 0; c < 3; c++)
        dst[4 * i + c] = alpha == 0.0f ? 0.0f : curve[4 * i + c] * alpha;
      dst[4 * i + 3] = alpha == 0.0f ? 0.0f : alpha;
    }
}

typedef void (*Step) (const gfloat *src, gfloat *dst, glong n);

typedef struct
{
  const gchar *source, *destination;
  Step         step;
  gint64       pixels; /* since the last reset; added to by GEGL's threads */
} FastConversion;

static FastConversion conversions[] = {
  { "RGBA float", "R~G~B~A float", linear_to_perceptual, 0 },
  { "R~G~B~A float", "RGBA float", perceptual_to_linear, 0 },
  { "RGBA float", "R~aG~aB~aA float", linear_to_perceptual_associated, 0 },
  { "RaGaBaA float", "R~aG~aB~aA float", associated_to_perceptual_associated, 0 },
};

/* babl's linear conversion: the pixels in steps of PIXELS. */
static void
convert (const Babl *babl, const char *src, char *dst, long n, void *data)
{
  FastConversion *conversion = data;

  (void) babl;
  __atomic_fetch_add (&conversion->pixels, (gint64) n, __ATOMIC_RELAXED);
  for (long done = 0; done < n; done += PIXELS)
    conversion->step ((const gfloat *) src + 4 * done, (gfloat *) dst + 4 * done,
                      MIN (PIXELS, n - done));
}

void
fast_conversions_register (void)
{
  const gchar *setting = g_getenv ("IMGFLO_WORKER_FAST_CONVERSIONS");

  if (setting && strcmp (setting, "0") == 0)
    {
      diag_log ("fast conversions: off");
      return;
    }
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
