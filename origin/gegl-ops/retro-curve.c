/* imgflo:retro-curve
 *
 * Colour grading with per-channel tone curves, selected from a set of
 * presets that imitate analogue film "looks":
 *
 *   none     identity, the image is left unchanged
 *   prog     cross-processed slide film: punchy red/green contrast, blue
 *            flattened and lifted, giving cyan-blue shadows and yellow
 *            highlights
 *   indie    faded matte print: lifted blacks, softened highlights, a
 *            slightly green-cyan shadow cast and warm mids
 *   batcave  dark and cold: crushed reds, deep contrast, shadows and mids
 *            pushed towards teal-blue
 *   country  warm sunny afternoon: golden mids and highlights, faded
 *            blacks, blues pulled down in the highlights
 *
 * Each curve is a short table of control points (input -> output, in
 * gamma-encoded sRGB, where curves behave like the ones in photo
 * editors).  They are interpolated with a monotone cubic Hermite spline
 * (Fritsch-Carlson), which is smooth but never overshoots between control
 * points, and sampled into lookup tables once, when the class is
 * initialised; processing only reads those tables, so it is thread safe.
 *
 * Alpha is kept unchanged.
 */

#ifdef GEGL_PROPERTIES

enum_start (imgflo_retro_curve_preset)
  enum_value (IMGFLO_RETRO_CURVE_NONE,    "none",    "None")
  enum_value (IMGFLO_RETRO_CURVE_PROG,    "prog",    "Prog")
  enum_value (IMGFLO_RETRO_CURVE_INDIE,   "indie",   "Indie")
  enum_value (IMGFLO_RETRO_CURVE_BATCAVE, "batcave", "Batcave")
  enum_value (IMGFLO_RETRO_CURVE_COUNTRY, "country", "Country")
enum_end (ImgfloRetroCurvePreset)

property_enum (preset, "Preset",
               ImgfloRetroCurvePreset, imgflo_retro_curve_preset,
               IMGFLO_RETRO_CURVE_NONE)
  description ("Set of tone curves to apply; 'none' leaves the image "
               "unchanged")

#else

#define GEGL_OP_POINT_FILTER
#define GEGL_OP_NAME     imgflo_retro_curve
#define GEGL_OP_C_SOURCE retro-curve.c

/* The enum registration in gegl-op.h runs the value names through
 * dgettext(); give it a (translation-less) domain. */
#define GETTEXT_PACKAGE "imgflo"
#include <glib/gi18n-lib.h>

/* gegl-op.h does not compile cleanly with -Wextra (function type casts
 * and unused parameters in its boilerplate); silence that for the header
 * only, our own code below is checked with all warnings. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-function-type"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "gegl-op.h"
#pragma GCC diagnostic pop
#include "rgba-point-filter.h"

#include <string.h>

#define N_PRESETS    5
#define MAX_POINTS   6
#define LUT_SIZE     1024  /* LUT has LUT_SIZE + 1 entries over [0, 1] */

typedef struct
{
  gint   n;
  gfloat x[MAX_POINTS];
  gfloat y[MAX_POINTS];
} Curve;

/* Control points per preset and channel (R, G, B), x strictly increasing
 * from 0 to 1.  Indexed by ImgfloRetroCurvePreset. */
static const Curve presets[N_PRESETS][3] =
{
  /* none */
  {
    { 2, { 0.0f, 1.0f }, { 0.0f, 1.0f } },
    { 2, { 0.0f, 1.0f }, { 0.0f, 1.0f } },
    { 2, { 0.0f, 1.0f }, { 0.0f, 1.0f } },
  },
  /* prog */
  {
    { 5, { 0.0f, 0.25f, 0.50f, 0.75f, 1.0f },
         { 0.0f, 0.14f, 0.52f, 0.88f, 1.0f } },
    { 5, { 0.0f, 0.25f, 0.50f, 0.75f, 1.0f },
         { 0.0f, 0.19f, 0.54f, 0.85f, 1.0f } },
    { 3, { 0.0f, 0.50f, 1.0f },
         { 0.16f, 0.46f, 0.76f } },
  },
  /* indie */
  {
    { 4, { 0.0f, 0.30f, 0.70f, 1.0f },
         { 0.10f, 0.33f, 0.76f, 0.95f } },
    { 4, { 0.0f, 0.30f, 0.70f, 1.0f },
         { 0.13f, 0.34f, 0.72f, 0.92f } },
    { 4, { 0.0f, 0.30f, 0.70f, 1.0f },
         { 0.16f, 0.32f, 0.64f, 0.82f } },
  },
  /* batcave */
  {
    { 4, { 0.0f, 0.30f, 0.65f, 1.0f },
         { 0.0f, 0.09f, 0.38f, 0.82f } },
    { 4, { 0.0f, 0.30f, 0.65f, 1.0f },
         { 0.02f, 0.15f, 0.48f, 0.90f } },
    { 4, { 0.0f, 0.30f, 0.65f, 1.0f },
         { 0.07f, 0.25f, 0.58f, 0.97f } },
  },
  /* country */
  {
    { 4, { 0.0f, 0.35f, 0.70f, 1.0f },
         { 0.07f, 0.44f, 0.82f, 1.0f } },
    { 4, { 0.0f, 0.35f, 0.70f, 1.0f },
         { 0.05f, 0.37f, 0.73f, 0.96f } },
    { 4, { 0.0f, 0.40f, 0.75f, 1.0f },
         { 0.10f, 0.33f, 0.58f, 0.72f } },
  },
};

/* Sampled curves, filled once in gegl_op_class_init(). */
static gfloat luts[N_PRESETS][3][LUT_SIZE + 1];

/* Evaluates the monotone cubic Hermite spline through the curve's control
 * points at x (Fritsch-Carlson tangents). */
static gfloat
curve_eval (const Curve *curve,
            gfloat       x)
{
  gfloat delta[MAX_POINTS] = { 0.0f };
  gfloat m[MAX_POINTS]     = { 0.0f };
  gint   n = curve->n;
  gint   k;

  if (x <= curve->x[0])
    return curve->y[0];
  if (x >= curve->x[n - 1])
    return curve->y[n - 1];

  for (k = 0; k < n - 1; k++)
    delta[k] = (curve->y[k + 1] - curve->y[k]) /
               (curve->x[k + 1] - curve->x[k]);

  m[0]     = delta[0];
  m[n - 1] = delta[n - 2];
  for (k = 1; k < n - 1; k++)
    m[k] = (delta[k - 1] * delta[k] <= 0.0f)
             ? 0.0f
             : (delta[k - 1] + delta[k]) * 0.5f;

  /* Limit the tangents so the spline stays monotone on every segment. */
  for (k = 0; k < n - 1; k++)
    {
      /* Fritsch-Carlson: with a = m[k] / delta, b = m[k + 1] / delta the
       * segment is monotone when both lie in [0, 3]. */
      if (delta[k] == 0.0f)
        {
          m[k] = m[k + 1] = 0.0f;
          continue;
        }
      if (m[k] / delta[k] > 3.0f)
        m[k] = 3.0f * delta[k];
      if (m[k + 1] / delta[k] > 3.0f)
        m[k + 1] = 3.0f * delta[k];
    }

  for (k = 0; k < n - 2 && x >= curve->x[k + 1]; k++)
    ;

  {
    gfloat h   = curve->x[k + 1] - curve->x[k];
    gfloat t   = (x - curve->x[k]) / h;
    gfloat t2  = t * t;
    gfloat t3  = t2 * t;
    gfloat h00 = 2.0f * t3 - 3.0f * t2 + 1.0f;
    gfloat h10 = t3 - 2.0f * t2 + t;
    gfloat h01 = -2.0f * t3 + 3.0f * t2;
    gfloat h11 = t3 - t2;

    return h00 * curve->y[k] + h10 * h * m[k] +
           h01 * curve->y[k + 1] + h11 * h * m[k + 1];
  }
}

static void
build_luts (void)
{
  gint p, c, i;

  for (p = 0; p < N_PRESETS; p++)
    for (c = 0; c < 3; c++)
      for (i = 0; i <= LUT_SIZE; i++)
        luts[p][c][i] = CLAMP (curve_eval (&presets[p][c],
                                           (gfloat) i / LUT_SIZE),
                               0.0f, 1.0f);
}

static inline gfloat
lut_lookup (const gfloat *lut,
            gfloat        v)
{
  gfloat pos;
  gint   idx;

  if (!(v > 0.0f))              /* also catches NaN */
    return lut[0];
  if (v >= 1.0f)
    return lut[LUT_SIZE];

  pos = v * LUT_SIZE;
  idx = (gint) pos;
  return lut[idx] + (lut[idx + 1] - lut[idx]) * (pos - idx);
}

static gboolean
process (GeglOperation       *operation,
         void                *in_buf,
         void                *out_buf,
         glong                n_pixels,
         const GeglRectangle *roi,
         gint                 level)
{
  GeglProperties *o      = GEGL_PROPERTIES (operation);
  const gfloat   *in     = in_buf;
  gfloat         *out    = out_buf;
  gint            preset = o->preset;
  glong           i;

  (void) roi;
  (void) level;

  if (preset < 0 || preset >= N_PRESETS || preset == IMGFLO_RETRO_CURVE_NONE)
    {
      if (in != out)
        memcpy (out, in, sizeof (gfloat) * 4 * n_pixels);
      return TRUE;
    }

  for (i = 0; i < n_pixels; i++)
    {
      out[0] = lut_lookup (luts[preset][0], in[0]);
      out[1] = lut_lookup (luts[preset][1], in[1]);
      out[2] = lut_lookup (luts[preset][2], in[2]);
      out[3] = in[3];

      in  += 4;
      out += 4;
    }

  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass            *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationPointFilterClass *point_class     =
    GEGL_OPERATION_POINT_FILTER_CLASS (klass);

  build_luts ();

  operation_class->prepare = prepare_rgba_float;
  point_class->process     = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:retro-curve",
    "title",       "Retro Curve",
    "categories",  "color",
    "description", "Colour grading with per-channel tone curve presets "
                   "that imitate analogue film looks",
    NULL);
}

#endif
