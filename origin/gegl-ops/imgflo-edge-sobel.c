/* imgflo:edge-sobel
 *
 * gegl:edge-sobel (GEGL 0.4.42) with the same pads, properties, region of
 * interest, formats and bytes: the origin's compile swaps it in for GEGL's
 * (origin/compile/operation-swaps.ts).
 *
 * GEGL's kernel is kept as it is, quirks included: the 3x3 window of output
 * pixel (x, y) is centred on input pixel (x, y) of the region read (one
 * pixel up and left of the output pixel's own), clamped to that region, and
 * the region is each call's, which is why the operation is not threaded.
 * The same float operations in the same order, on the four channels of a
 * pixel at once (lib/same-arithmetic.h), without GEGL's per-channel loops.
 * (The file name is GEGL's with a prefix: GEGL names an operation's type
 * after its source file, and two types may not share a name.)
 */

#ifdef GEGL_PROPERTIES

property_boolean (horizontal, "Horizontal", TRUE)

property_boolean (vertical, "Vertical", TRUE)

property_boolean (keep_sign, "Keep Sign", TRUE)
     description ("Keep negative values in result; when off, the absolute value of the "
                  "result is used instead.")

#else

#define GEGL_OP_AREA_FILTER
#define GEGL_OP_NAME     imgflo_edge_sobel
#define GEGL_OP_C_SOURCE imgflo-edge-sobel.c

#include "gegl-op.h"
#include "lib/rendered-mark.h"
#include "lib/same-arithmetic.h"

#include <math.h>

static void
prepare (GeglOperation *operation)
{
  const Babl              *space  = gegl_operation_get_source_space (operation, "input");
  const Babl              *source = gegl_operation_get_source_format (operation, "input");
  GeglOperationAreaFilter *area   = GEGL_OPERATION_AREA_FILTER (operation);

  area->left = area->right = area->top = area->bottom = 1;
  gegl_operation_set_format (operation, "input", babl_format_with_space ("RGBA float", space));
  gegl_operation_set_format (operation, "output",
                             babl_format_with_space (source && !babl_format_has_alpha (source)
                                                       ? "RGB float" : "RGBA float", space));
}

/* Output rows done at a time: each band's input and output fit in the
 * caches and are reused, instead of two whole-region buffers that every
 * render faults in afresh. */
#define BAND_ROWS 32

/* The kernels' settings and the region read: its size, and the rows of it
 * in `in` (from row `first` on). */
typedef struct
{
  gboolean      horizontal, vertical, keep_sign, has_alpha;
  const gfloat *in;
  gint          width, height; /* of the region read */
  gint          first;
} Sobel;

/* The gradient of one pixel from its window (rows t, m, b; columns l, c, r
 * as offsets in floats), GEGL's expressions term by term. */
SAME_ARITHMETIC_INLINE Floats4
gradient (const Sobel *s, const gfloat *t, const gfloat *m, const gfloat *b, gint l, gint c,
          gint r)
{
  Floats4 tl = floats4_at (t + l), tc = floats4_at (t + c), tr = floats4_at (t + r);
  Floats4 ml = floats4_at (m + l), mc = floats4_at (m + c), mr = floats4_at (m + r);
  Floats4 bl = floats4_at (b + l), bc = floats4_at (b + c), br = floats4_at (b + r);
  Floats4 zero = { 0, 0, 0, 0 }, hor = zero, ver = zero, g = zero;

  if (s->horizontal)
    {
      hor += (-1.0f * tl) + (0.0f * tc) + (1.0f * tr);
      hor += (-2.0f * ml) + (0.0f * mc) + (2.0f * mr);
      hor += (-1.0f * bl) + (0.0f * bc) + (1.0f * br);
    }
  if (s->vertical)
    {
      ver += (1.0f * tl) + (2.0f * tc) + (1.0f * tr);
      ver += (0.0f * ml) + (0.0f * mc) + (0.0f * mr);
      ver += (-1.0f * bl) + (-2.0f * bc) + (-1.0f * br);
    }
  if (s->horizontal && s->vertical)
    {
      Floats4 squares = hor * hor + ver * ver;

      for (gint i = 0; i < 3; i++)
        g[i] = sqrtf (squares[i]) / sqrtf (32.0f);
    }
  else if (s->keep_sign)
    g = 0.5f + (hor + ver) / 8.0f;
  else
    {
      Floats4 sum = hor + ver;

      for (gint i = 0; i < 3; i++)
        g[i] = fabsf (sum[i]) / 4.0f;
    }
  g[3] = s->has_alpha ? mc[3] : 1.0f;
  return g;
}

/* Output rows y0 .. y0 + rows - 1, pixel by pixel: the window's rows and
 * columns clamped into the region read as GEGL clamps them (only the first
 * row and column can reach out of it). */
SAME_ARITHMETIC_CLONES static void
sobel_rows (const Sobel *s, gfloat *out, gint out_width, gint y0, gint rows)
{
  gsize stride = (gsize) s->width * 4;

  for (gint y = y0; y < y0 + rows; y++)
    {
      const gfloat *m = s->in + (y - s->first) * stride;
      const gfloat *t = y > 0 ? m - stride : m;
      const gfloat *b = y + 1 < s->height ? m + stride : m;

      for (gint x = 0; x < out_width; x++, out += 4)
        {
          gint    c = x * 4;
          gint    l = x > 0 ? c - 4 : c;
          gint    r = x + 1 < s->width ? c + 4 : c;
          Floats4 g = gradient (s, t, m, b, l, c, r);

          memcpy (out, &g, sizeof g);
        }
    }
}

static gboolean
process (GeglOperation *operation, GeglBuffer *input, GeglBuffer *output,
         const GeglRectangle *result, gint level)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  GeglRectangle   src = gegl_operation_get_required_for_output (operation, "input", result);
  const Babl     *format = babl_format_with_space (
    "RGBA float", gegl_operation_get_format (operation, "output"));
  gfloat         *in = g_new (gfloat, (gsize) src.width * (BAND_ROWS + 2) * 4);
  gfloat         *out = g_new (gfloat, (gsize) result->width * BAND_ROWS * 4);
  Sobel           s = { o->horizontal, o->vertical, o->keep_sign,
                        babl_format_has_alpha (gegl_operation_get_format (operation, "output")),
                        in, src.width, src.height, 0 };

  (void) level;
  /* Band by band: the rows of the region read that the band's windows
   * reach, then the band's output rows. */
  for (gint y0 = 0; y0 < result->height; y0 += BAND_ROWS)
    {
      gint          rows = MIN (BAND_ROWS, result->height - y0);
      gint          last = MIN (y0 + rows, src.height - 1);
      GeglRectangle band_in, band_out = { result->x, result->y + y0, result->width, rows };

      s.first = MAX (y0 - 1, 0);
      band_in = (GeglRectangle) { src.x, src.y + s.first, src.width, last - s.first + 1 };
      gegl_buffer_get (input, &band_in, 1.0, format, in, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      sobel_rows (&s, out, result->width, y0, rows);
      gegl_buffer_set (output, &band_out, 0, format, out, GEGL_AUTO_ROWSTRIDE);
    }
  g_free (in);
  g_free (out);
  rendered_mark (operation);
  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass       *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationFilterClass *filter_class    = GEGL_OPERATION_FILTER_CLASS (klass);

  operation_class->prepare  = prepare;
  /* As GEGL's: its kernel's clamping depends on the region of each call. */
  operation_class->threaded = FALSE;
  filter_class->process     = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:edge-sobel",
    "title",       "Sobel Edge Detection",
    "categories",  "edge-detect",
    "description", "Specialized direction-dependent edge detection",
    NULL);
}

#endif
