/* imgflo:custom-grey
 *
 * A "film-like" greyscale conversion.  It differs from gegl:gray in two
 * ways:
 *
 *  - the grey value is the Rec.601 luma of the gamma-encoded sRGB values
 *    (0.299 R' + 0.587 G' + 0.114 B', like analogue TV), not the linear
 *    light Rec.709 luminance gegl:gray uses, so saturated reds and blues
 *    come out brighter;
 *  - a gentle S-shaped contrast curve (smoothstep, mixed in by the
 *    `contrast` property) deepens the shadows and brightens the
 *    highlights a little, as a silver print would.
 *
 * The output is neutral grey RGB, alpha is kept unchanged.
 */

#ifdef GEGL_PROPERTIES

property_double (contrast, "Contrast", 0.25)
  description ("Amount of S-curve contrast added to the grey value "
               "(0 = plain luma)")
  value_range (0.0, 1.0)

#else

#define GEGL_OP_POINT_FILTER
#define GEGL_OP_NAME     imgflo_custom_grey
#define GEGL_OP_C_SOURCE custom-grey.c

/* gegl-op.h does not compile cleanly with -Wextra (function type casts
 * and unused parameters in its boilerplate); silence that for the header
 * only, our own code below is checked with all warnings. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-function-type"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "gegl-op.h"
#pragma GCC diagnostic pop
#include "rgba-point-filter.h"

static gboolean
process (GeglOperation       *operation,
         void                *in_buf,
         void                *out_buf,
         glong                n_pixels,
         const GeglRectangle *roi,
         gint                 level)
{
  GeglProperties *o        = GEGL_PROPERTIES (operation);
  const gfloat   *in       = in_buf;
  gfloat         *out      = out_buf;
  gfloat          contrast = (gfloat) o->contrast;
  glong           i;

  (void) roi;
  (void) level;

  for (i = 0; i < n_pixels; i++)
    {
      gfloat luma = 0.299f * in[0] + 0.587f * in[1] + 0.114f * in[2];
      gfloat alpha = in[3];
      gfloat s;

      if (!(luma > 0.0f))       /* also catches NaN */
        luma = 0.0f;
      else if (luma > 1.0f)
        luma = 1.0f;

      s    = luma * luma * (3.0f - 2.0f * luma);
      luma = luma + (s - luma) * contrast;

      out[0] = out[1] = out[2] = luma;
      out[3] = alpha;

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

  operation_class->prepare = prepare_rgba_float;
  point_class->process     = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:custom-grey",
    "title",       "Custom Grey",
    "categories",  "grayscale:color",
    "description", "Film-like greyscale: Rec.601 luma of the sRGB values "
                   "with a gentle S-curve, alpha kept",
    NULL);
}

#endif
