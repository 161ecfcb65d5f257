/* imgflo:noise-reduction
 *
 * gegl:noise-reduction (GEGL 0.4.42) with the same pads, property, region
 * of interest, bounding box, formats and bytes: the origin's compile swaps
 * it in for GEGL's (origin/compile/operation-swaps.ts) when it has
 * iterations to run (with none GEGL's passes its input through).
 *
 * GEGL's anisotropic smoothing as it is: each iteration sweeps the region
 * in place, row by row and left to right, so a pixel sees the new values of
 * the pixels above and to its left; a neighbour's half-way value is kept
 * when it raises none of the four axes' second differences. Each colour
 * channel is independent of the others, so the three are computed in one
 * vector (lib/same-arithmetic.h) with GEGL's float and double operations,
 * and every direction's test is done instead of stopping at the first that
 * fails (which changes nothing but the branches).
 * (The file name is GEGL's with a prefix: GEGL names an operation's type
 * after its source file, and two types may not share a name.)
 */

#ifdef GEGL_PROPERTIES

property_int  (iterations, "Strength", 4)
  description ("Controls the number of iterations; lower values give less plastic results")
  value_range (0, 32)
  ui_range    (0, 8)

#else

#define GEGL_OP_AREA_FILTER
#define GEGL_OP_NAME     imgflo_noise_reduction
#define GEGL_OP_C_SOURCE imgflo-noise-reduction.c

#include "gegl-op.h"
#include "lib/rendered-mark.h"
#include "lib/same-arithmetic.h"

#define NEIGHBOURS 8
#define AXES       4

typedef gint32 Ints4 __attribute__ ((vector_size (16)));

/* GEGL's second difference across `center`, squared (in float). */
SAME_ARITHMETIC_INLINE Floats4
bend (Floats4 before, Floats4 center, Floats4 after)
{
  return (center * 2.0f - before - after) * (center * 2.0f - before - after);
}

/* One pixel's new colour, from its neighbours at `offsets` (in floats,
 * GEGL's order: the row above, the sides, the row below); alpha is kept. */
SAME_ARITHMETIC_INLINE void
smooth_pixel (gfloat *center_pix, const gint *offsets)
{
  Floats4 center = floats4_at (center_pix), neighbour[NEIGHBOURS], reference[AXES];
  Floats4 sum = center, mean;
  Ints4   count = { 1, 1, 1, 1 };

  for (gint d = 0; d < NEIGHBOURS; d++)
    neighbour[d] = floats4_at (center_pix + offsets[d]);
  for (gint axis = 0; axis < AXES; axis++)
    reference[axis] = bend (neighbour[axis], center, neighbour[NEIGHBOURS - 1 - axis]);
  for (gint d = 0; d < NEIGHBOURS; d++)
    {
      Floats4 value = narrow (widen (neighbour[d]) * 0.5 + widen (center) * 0.5);
      Ints4   valid = { -1, -1, -1, -1 };

      /* GEGL's test, "raises it", is false for a NaN: so is this one. */
      for (gint axis = 0; axis < AXES; axis++)
        valid &= ~(bend (neighbour[axis], value, neighbour[NEIGHBOURS - 1 - axis]) >
                   reference[axis]);
      /* Added where valid, left as it is elsewhere (adding 0 would turn a -0 into 0). */
      sum = (Floats4) (((Ints4) (sum + value) & valid) | ((Ints4) sum & ~valid));
      count -= valid;
    }
  mean = sum / __builtin_convertvector (count, Floats4);
  memcpy (center_pix, &mean, 3 * sizeof (gfloat));
}

/* One iteration over a width x height region whose first pixel is one
 * right of and below `buf`'s, in place, as GEGL's loop goes. */
SAME_ARITHMETIC_CLONES static void
sweep (gfloat *buf, gint stride, gint width, gint height)
{
  gint offsets[NEIGHBOURS];
  gint d = 0;

  for (gint v = -1; v <= 1; v++)
    for (gint u = -1; u <= 1; u++)
      if (u != 0 || v != 0)
        offsets[d++] = (u + v * stride) * 4;
  for (gint y = 0; y < height; y++)
    {
      gfloat *center_pix = buf + ((gsize) (y + 1) * stride + 1) * 4;

      for (gint x = 0; x < width; x++, center_pix += 4)
        smooth_pixel (center_pix, offsets);
    }
}

static void
prepare (GeglOperation *operation)
{
  const Babl              *space = gegl_operation_get_source_space (operation, "input");
  GeglOperationAreaFilter *area  = GEGL_OPERATION_AREA_FILTER (operation);
  GeglProperties          *o     = GEGL_PROPERTIES (operation);

  area->left = area->right = area->top = area->bottom = o->iterations;
  gegl_operation_set_format (operation, "input", babl_format_with_space ("R~G~B~A float", space));
  gegl_operation_set_format (operation, "output",
                             babl_format_with_space ("R~G~B~A float", space));
}

static gboolean
process (GeglOperation *operation, GeglBuffer *input, GeglBuffer *output,
         const GeglRectangle *result, gint level)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  gint            n = o->iterations;
  gint            stride = result->width + n * 2;
  GeglRectangle   rect = { result->x - n, result->y - n, stride, result->height + n * 2 };
  gfloat         *buf = g_new (gfloat, (gsize) stride * rect.height * 4);

  (void) level;
  gegl_buffer_get (input, &rect, 1.0, gegl_operation_get_format (operation, "input"), buf,
                   stride * 4 * 4, GEGL_ABYSS_NONE);
  for (gint i = 0; i < n; i++)
    sweep (buf, stride, result->width + (n - 1 - i) * 2, result->height + (n - 1 - i) * 2);
  gegl_buffer_set (output, result, 0, gegl_operation_get_format (operation, "output"),
                   buf + ((gsize) stride + 1) * 4 * n, stride * 4 * 4);
  g_free (buf);
  rendered_mark (operation);
  return TRUE;
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  GeglRectangle *in_rect = gegl_operation_source_get_bounding_box (operation, "input");

  return in_rect ? *in_rect : (GeglRectangle) { 0, 0, 0, 0 };
}

/* With no iterations the input passes through, as GEGL's does. */
static gboolean
operation_process (GeglOperation *operation, GeglOperationContext *context,
                   const gchar *output_prop, const GeglRectangle *result, gint level)
{
  GeglOperationClass *parent = GEGL_OPERATION_CLASS (gegl_op_parent_class);

  (void) level;
  if (!GEGL_PROPERTIES (operation)->iterations)
    {
      gpointer in = gegl_operation_context_get_object (context, "input");

      gegl_operation_context_take_object (context, "output", g_object_ref (G_OBJECT (in)));
      return TRUE;
    }
  return parent->process (operation, context, output_prop, result,
                          gegl_operation_context_get_level (context));
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass       *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationFilterClass *filter_class    = GEGL_OPERATION_FILTER_CLASS (klass);

  filter_class->process             = process;
  operation_class->process          = operation_process;
  operation_class->prepare          = prepare;
  operation_class->get_bounding_box = get_bounding_box;

  gegl_operation_class_set_keys (operation_class,
    "title",       "Noise Reduction",
    "name",        "imgflo:noise-reduction",
    "categories",  "enhance:noise-reduction",
    "description", "Anisotropic smoothing operation",
    NULL);
}

#endif
