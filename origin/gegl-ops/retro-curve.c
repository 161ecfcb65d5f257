/* imgflo:retro-curve
 *
 * The classic imgflo-server's film looks, a port of GNOME Photos' "insta"
 * filters:
 *
 *   none     identity, the image is left unchanged
 *   prog     1977: lifted, rosy shadows and mids, soft capped highlights
 *   indie    Brannan: contrasty, magenta-tinted shadows, low saturation
 *   batcave  Gotham: deep contrast, cool mids, warm highlights
 *   country  Nashville: lifted blue shadows, warm cream highlights
 *
 * Each look is a tone curve per channel on the 8-bit gamma-encoded values
 * (the original applies a curve per channel, then one master curve to all
 * three; only their composition can be measured, so each table here is
 * that composition).  Brannan then pushes every channel PUSH_BRANNAN of
 * the way towards the pixel's largest channel.
 *
 * The curves were measured from input/reference pairs and are given as
 * their values at the input levels 0, 16, 32, ..., 240 and 255,
 * interpolated with a monotone cubic Hermite spline (Fritsch-Carlson:
 * smooth, no overshoot between the knots).  They are sampled at the 256
 * levels once, when the class is initialised; processing reads those
 * tables (linear between levels for deeper inputs), so it is thread safe.
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
 * dgettext() (GETTEXT_PACKAGE comes from scripts/build-native.sh). */
#include <glib/gi18n-lib.h>

#include "gegl-op.h"
#include "point-filter-format.h"

#include <string.h>

#define N_PRESETS     5
#define N_KNOTS       17
#define N_LEVELS      256
#define PUSH_BRANNAN  0.1f

/* Input level of knot k: 0, 16, ..., 240, then 255. */
#define KNOT_LEVEL(k) ((k) < N_KNOTS - 1 ? (k) * 16 : 255)

/* Output levels at the knots, per preset (indexed by
 * ImgfloRetroCurvePreset) and channel (R, G, B).  'none' is the
 * identity. */
static const guint8 knots[N_PRESETS][3][N_KNOTS] =
{
  /* none */
  {
    {   0,  16,  32,  48,  64,  80,  96, 112, 128,
      144, 160, 176, 192, 208, 224, 240, 255 },
    {   0,  16,  32,  48,  64,  80,  96, 112, 128,
      144, 160, 176, 192, 208, 224, 240, 255 },
    {   0,  16,  32,  48,  64,  80,  96, 112, 128,
      144, 160, 176, 192, 208, 224, 240, 255 },
  },
  /* prog (1977) */
  {
    {  77,  77,  78,  89, 100, 117, 135, 151, 167,
      186, 204, 215, 219, 220, 220, 219, 217 },
    {  57,  57,  57,  62,  69,  84, 100, 116, 131,
      146, 159, 174, 190, 205, 221, 238, 255 },
    {  62,  62,  62,  66,  74,  90, 107, 126, 145,
      164, 182, 196, 204, 206, 206, 204, 205 },
  },
  /* indie (Brannan), before the push towards the largest channel */
  {
    {  50,  51,  69,  79,  90, 106, 125, 147, 170,
      193, 216, 234, 245, 252, 255, 255, 254 },
    {   0,   2,  18,  36,  59,  92, 124, 156, 182,
      197, 207, 217, 227, 234, 241, 245, 252 },
    {  48,  50,  57,  66,  79,  96, 114, 130, 144,
      157, 174, 185, 192, 205, 217, 225, 225 },
  },
  /* batcave (Gotham) */
  {
    {   0,   3,   9,  17,  25,  33,  42,  52,  66,
       88, 110, 137, 165, 191, 214, 234, 255 },
    {   0,   2,   6,  12,  19,  28,  40,  55,  72,
       92, 113, 138, 165, 189, 212, 233, 255 },
    {   0,   0,   4,  12,  23,  36,  52,  70,  88,
      103, 120, 135, 151, 172, 197, 228, 255 },
  },
  /* country (Nashville) */
  {
    {  56,  56,  56,  56,  65,  90, 127, 160, 186,
      206, 222, 234, 242, 248, 252, 255, 255 },
    {  38,  38,  44,  63,  85, 108, 133, 153, 168,
      181, 194, 203, 210, 215, 218, 221, 221 },
    {  97,  97, 102, 114, 124, 131, 139, 146, 154,
      159, 161, 165, 166, 169, 172, 175, 176 },
  },
};

/* How far each preset pushes the channels towards the largest one. */
static const gfloat push[N_PRESETS] = { 0.0f, 0.0f, PUSH_BRANNAN, 0.0f, 0.0f };

/* The curves at the 256 levels, in [0, 1]; filled in gegl_op_class_init(). */
static gfloat luts[N_PRESETS][3][N_LEVELS];

/* Evaluates the monotone cubic Hermite spline through a curve's knots at
 * input level x (Fritsch-Carlson tangents). */
static gfloat
curve_eval (const guint8 *y,
            gfloat        x)
{
  gfloat delta[N_KNOTS - 1];
  gfloat m[N_KNOTS];
  gint   k;

  for (k = 0; k < N_KNOTS - 1; k++)
    delta[k] = (gfloat) (y[k + 1] - y[k]) /
               (gfloat) (KNOT_LEVEL (k + 1) - KNOT_LEVEL (k));

  m[0]           = delta[0];
  m[N_KNOTS - 1] = delta[N_KNOTS - 2];
  for (k = 1; k < N_KNOTS - 1; k++)
    m[k] = (delta[k - 1] * delta[k] <= 0.0f)
             ? 0.0f
             : (delta[k - 1] + delta[k]) * 0.5f;

  /* Limit the tangents so the spline stays monotone on every segment:
   * with a = m[k] / delta, b = m[k + 1] / delta it is when both lie in
   * [0, 3]. */
  for (k = 0; k < N_KNOTS - 1; k++)
    {
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

  for (k = 0; k < N_KNOTS - 2 && x >= KNOT_LEVEL (k + 1); k++)
    ;

  {
    gfloat h   = (gfloat) (KNOT_LEVEL (k + 1) - KNOT_LEVEL (k));
    gfloat t   = (x - KNOT_LEVEL (k)) / h;
    gfloat t2  = t * t;
    gfloat t3  = t2 * t;
    gfloat h00 = 2.0f * t3 - 3.0f * t2 + 1.0f;
    gfloat h10 = t3 - 2.0f * t2 + t;
    gfloat h01 = -2.0f * t3 + 3.0f * t2;
    gfloat h11 = t3 - t2;

    return h00 * y[k] + h10 * h * m[k] +
           h01 * y[k + 1] + h11 * h * m[k + 1];
  }
}

static void
build_luts (void)
{
  gint p, c, i;

  for (p = 0; p < N_PRESETS; p++)
    for (c = 0; c < 3; c++)
      for (i = 0; i < N_LEVELS; i++)
        luts[p][c][i] = CLAMP (curve_eval (knots[p][c], (gfloat) i) / 255.0f,
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
    return lut[N_LEVELS - 1];

  pos = v * (N_LEVELS - 1);
  idx = (gint) pos;
  return lut[idx] + (lut[idx + 1] - lut[idx]) * (pos - idx);
}

static void
prepare (GeglOperation *operation)
{
  set_point_filter_format (operation, "R'G'B'A float");
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
      gfloat r = lut_lookup (luts[preset][0], in[0]);
      gfloat g = lut_lookup (luts[preset][1], in[1]);
      gfloat b = lut_lookup (luts[preset][2], in[2]);
      gfloat top = MAX (r, MAX (g, b));

      out[0] = r + (top - r) * push[preset];
      out[1] = g + (top - g) * push[preset];
      out[2] = b + (top - b) * push[preset];
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

  operation_class->prepare = prepare;
  point_class->process     = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:retro-curve",
    "title",       "Retro Curve",
    "categories",  "color",
    "description", "The classic imgflo film looks (GNOME Photos' 1977, "
                   "Brannan, Gotham and Nashville): per-channel tone "
                   "curves on the gamma-encoded values",
    NULL);
}

#endif
