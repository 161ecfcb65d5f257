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
 *
 * The result has the input's extent.  The input passes through untouched
 * (its tiles shared, in its own format) except where the aux image lies:
 * a watermark costs in proportion to its own size, not the picture's.
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

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     imgflo_blend
#define GEGL_OP_C_SOURCE blend.c

#include <glib/gi18n-lib.h>

#include "gegl-op.h"

/* Rows blended at once, so that a large overlap needs no full-size scratch buffers. */
#define BAND_ROWS 64

/* The input passes through in its own format (its tiles shared, not converted); only where the
 * aux image lies are pixels read, blended and written, in this one. */
static const Babl *
blend_format (GeglOperation *operation)
{
  return babl_format_with_space ("R'aG'aB'aA float",
                                 gegl_operation_get_source_space (operation, "input"));
}

static void
prepare (GeglOperation *operation)
{
  const Babl *input = gegl_operation_get_source_format (operation, "input");

  gegl_operation_set_format (operation, "input", input ? input : blend_format (operation));
  gegl_operation_set_format (operation, "aux", blend_format (operation));
  gegl_operation_set_format (operation, "output", input ? input : blend_format (operation));
}

/* The result has the input's extent: the backdrop is what the aux image is blended onto. */
static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  const GeglRectangle *in = gegl_operation_source_get_bounding_box (operation, "input");
  GeglRectangle        none = { 0, 0, 0, 0 };

  return in ? *in : none;
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

/* Blends n pixels of src (the aux image) into dst (the input) in place. */
static inline __attribute__ ((always_inline)) void
blend_run (ImgfloBlendMode mode, gfloat weight, gfloat *dst, const gfloat *src, gsize n)
{
  for (gsize i = 0; i < n; i++, dst += 4, src += 4)
    {
      const gfloat aA = src[3] * weight;
      const gfloat aB = dst[3];
      const gfloat aD = aA + aB - aA * aB;

      for (gint c = 0; c < 3; c++)
        dst[c] = CLAMP (blended (mode, src[c] * weight, aA, dst[c], aB), 0, aD);
      dst[3] = aD;
    }
}

/* The run with its mode a constant: one loop per mode, each without a
 * branch per channel, that the compiler vectorises (the same floats). */
#define BLEND_RUN_IN(m) \
  case m: \
    blend_run (m, weight, dst, src, n); \
    break

__attribute__ ((optimize ("O3"))) static void
blend_pixels (ImgfloBlendMode mode, gfloat weight, gfloat *dst, const gfloat *src, gsize n)
{
  switch (mode)
    {
      BLEND_RUN_IN (IMGFLO_BLEND_MULTIPLY);
      BLEND_RUN_IN (IMGFLO_BLEND_SCREEN);
      BLEND_RUN_IN (IMGFLO_BLEND_OVERLAY);
      BLEND_RUN_IN (IMGFLO_BLEND_DARKEN);
      BLEND_RUN_IN (IMGFLO_BLEND_LIGHTEN);
      BLEND_RUN_IN (IMGFLO_BLEND_DIFFERENCE);
    default:
      blend_run (IMGFLO_BLEND_NORMAL, weight, dst, src, n);
    }
}

static gboolean
process (GeglOperation *operation, GeglBuffer *input, GeglBuffer *aux, GeglBuffer *output,
         const GeglRectangle *result, gint level)
{
  GeglProperties      *o = GEGL_PROPERTIES (operation);
  const Babl          *format = blend_format (operation);
  const GeglRectangle *aux_box = gegl_operation_source_get_bounding_box (operation, "aux");
  GeglRectangle        overlap;
  gfloat              *backdrop, *source;

  (void) level;
  if (input)
    gegl_buffer_copy (input, result, GEGL_ABYSS_NONE, output, result);
  if (!input || !aux || !aux_box || o->opacity <= 0.0 ||
      !gegl_rectangle_intersect (&overlap, result, aux_box))
    return TRUE;
  backdrop = g_new (gfloat, (gsize) overlap.width * BAND_ROWS * 4);
  source = g_new (gfloat, (gsize) overlap.width * BAND_ROWS * 4);
  for (gint y = overlap.y; y < overlap.y + overlap.height; y += BAND_ROWS)
    {
      GeglRectangle band = { overlap.x, y, overlap.width,
                             MIN (BAND_ROWS, overlap.y + overlap.height - y) };

      gegl_buffer_get (input, &band, 1.0, format, backdrop, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      gegl_buffer_get (aux, &band, 1.0, format, source, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      blend_pixels (o->mode, (gfloat) o->opacity, backdrop, source,
                    (gsize) band.width * band.height);
      gegl_buffer_set (output, &band, 0, format, backdrop, GEGL_AUTO_ROWSTRIDE);
    }
  g_free (backdrop);
  g_free (source);
  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass         *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationComposerClass *composer_class = GEGL_OPERATION_COMPOSER_CLASS (klass);

  operation_class->prepare = prepare;
  operation_class->get_bounding_box = get_bounding_box;
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
