/* imgflo:blend
 *
 * Blends the image on the aux pad (the source) onto the input (the
 * backdrop) in one of the SVG 1.2 compositing modes, the source weighted
 * by `opacity` first.  A graph's parameter sets a property, never an
 * operation: this is how one `mode` parameter picks the blend.
 *
 * The formulas are those of the SVG 1.2 specification, on premultiplied
 * components (cA, aA the source's, cB, aB the backdrop's, the result's
 * alpha aA + aB - aA * aB), as GEGL's svg:* operations write them:
 *
 *   normal      cA + cB * (1 - aA)                          (svg:src-over)
 *   multiply    cA * cB + cA * (1 - aB) + cB * (1 - aA)
 *   screen      cA + cB - cA * cB                           (svg:screen)
 *   overlay     as svg:overlay
 *   darken      MIN (cA * aB, cB * aA) + cA * (1 - aB) + cB * (1 - aA)
 *   lighten     MAX (cA * aB, cB * aA) + cA * (1 - aB) + cB * (1 - aA)
 *   difference  cA + cB - 2 * MIN (cA * aB, cB * aA)
 *
 * GEGL has each of them but multiply (its svg-multiply is switched off:
 * gegl:multiply is the arithmetic product, which ignores the source's
 * alpha), so one operation holds all seven.  They run on gamma-encoded
 * sRGB, as image editors and CSS mix-blend-mode blend (GEGL's `srgb`
 * property), and keep the SVG rules for alpha: where the source is
 * transparent the backdrop shows through unchanged.
 */

#ifdef GEGL_PROPERTIES

enum_start (imgflo_blend_mode)
  enum_value (IMGFLO_BLEND_NORMAL,     "normal",     "Normal")
  enum_value (IMGFLO_BLEND_MULTIPLY,   "multiply",   "Multiply")
  enum_value (IMGFLO_BLEND_SCREEN,     "screen",     "Screen")
  enum_value (IMGFLO_BLEND_OVERLAY,    "overlay",    "Overlay")
  enum_value (IMGFLO_BLEND_DARKEN,     "darken",     "Darken")
  enum_value (IMGFLO_BLEND_LIGHTEN,    "lighten",    "Lighten")
  enum_value (IMGFLO_BLEND_DIFFERENCE, "difference", "Difference")
enum_end (ImgfloBlendMode)

property_enum (mode, "Mode", ImgfloBlendMode, imgflo_blend_mode, IMGFLO_BLEND_NORMAL)
  description ("How the aux image is blended onto the input")

property_double (opacity, "Opacity", 1.0)
  description ("Weight of the aux image, 0 (not at all) to 1")
  value_range (0.0, 1.0)

#else

#define GEGL_OP_POINT_COMPOSER
#define GEGL_OP_NAME     imgflo_blend
#define GEGL_OP_C_SOURCE blend.c

#include <glib/gi18n-lib.h>

#include "gegl-op.h"

#include <string.h>

static void
prepare (GeglOperation *operation)
{
  const Babl *space = gegl_operation_get_source_space (operation, "input");
  const Babl *format = babl_format_with_space ("R'aG'aB'aA float", space);

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "aux", format);
  gegl_operation_set_format (operation, "output", format);
}

/* One premultiplied component of the result, before clamping. */
static inline gfloat
blended (ImgfloBlendMode mode, gfloat cA, gfloat aA, gfloat cB, gfloat aB)
{
  const gfloat outside = cA * (1 - aB) + cB * (1 - aA);

  switch (mode)
    {
    case IMGFLO_BLEND_MULTIPLY:
      return cA * cB + outside;
    case IMGFLO_BLEND_SCREEN:
      return cA + cB - cA * cB;
    case IMGFLO_BLEND_OVERLAY:
      return 2 * cB > aB ? aA * aB - 2 * (aB - cB) * (aA - cA) + outside
                         : 2 * cA * cB + outside;
    case IMGFLO_BLEND_DARKEN:
      return MIN (cA * aB, cB * aA) + outside;
    case IMGFLO_BLEND_LIGHTEN:
      return MAX (cA * aB, cB * aA) + outside;
    case IMGFLO_BLEND_DIFFERENCE:
      return cA + cB - 2 * MIN (cA * aB, cB * aA);
    case IMGFLO_BLEND_NORMAL:
    default:
      return cA + cB * (1 - aA);
    }
}

static gboolean
process (GeglOperation *operation, void *in_buf, void *aux_buf, void *out_buf,
         glong n_pixels, const GeglRectangle *roi, gint level)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  const gfloat   *in = in_buf;
  const gfloat   *aux = aux_buf;
  gfloat         *out = out_buf;
  const gfloat    weight = (gfloat) o->opacity;

  (void) roi;
  (void) level;
  if (!aux)
    {
      memcpy (out, in, (gsize) n_pixels * 4 * sizeof (gfloat));
      return TRUE;
    }
  for (glong i = 0; i < n_pixels; i++, in += 4, aux += 4, out += 4)
    {
      const gfloat aA = aux[3] * weight;
      const gfloat aB = in[3];
      const gfloat aD = aA + aB - aA * aB;

      for (gint c = 0; c < 3; c++)
        out[c] = CLAMP (blended (o->mode, aux[c] * weight, aA, in[c], aB), 0, aD);
      out[3] = aD;
    }
  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass              *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationPointComposerClass *composer_class = GEGL_OPERATION_POINT_COMPOSER_CLASS (klass);

  operation_class->prepare = prepare;
  composer_class->process = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:blend",
    "title",       "Blend",
    "categories",  "compositors:blend",
    "description", "Blends the aux image onto the input in an SVG 1.2 mode "
                   "(normal, multiply, screen, overlay, darken, lighten, "
                   "difference), weighted by an opacity",
    NULL);
}

#endif
