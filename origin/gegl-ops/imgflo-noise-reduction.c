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
 * two rows' pixels side by side in one of eight (the lower row two pixels
 * behind, so that each sees what it would in GEGL's order), and every
 * direction's test is done instead of stopping at the first that fails
 * (which changes nothing but the branches).
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

/* Two pixels' four channels, pixel a's floats, then pixel b's: the pixels
 * of two rows are smoothed side by side (their chains of dependent
 * operations, one pixel's on the last, are long), each half computing what
 * GEGL computes for one. */
SAME_ARITHMETIC_INLINE Floats8
pair_at (const gfloat *a, const gfloat *b)
{
  Floats8 v;

  memcpy (&v, a, 4 * sizeof (gfloat));
  memcpy ((gfloat *) &v + 4, b, 4 * sizeof (gfloat));
  return v;
}

/* GEGL's half-way value between two floats, in double. */
SAME_ARITHMETIC_INLINE Floats8
half_way (Floats8 a, Floats8 b)
{
  Doubles8 wide_a = __builtin_convertvector (a, Doubles8);
  Doubles8 wide_b = __builtin_convertvector (b, Doubles8);

  return __builtin_convertvector (wide_a * 0.5 + wide_b * 0.5, Floats8);
}

/* GEGL's second difference across `center`, squared (in float). */
SAME_ARITHMETIC_INLINE Floats8
bend (Floats8 before, Floats8 center, Floats8 after)
{
  return (center * 2.0f - before - after) * (center * 2.0f - before - after);
}

/* The new colours of pixels a and b (a may be b), from their neighbours at
 * `offsets` (in floats, GEGL's order: the row above, the sides, the row
 * below); alpha is kept. */
SAME_ARITHMETIC_INLINE void
smooth_pair (gfloat *a, gfloat *b, const gint *offsets)
{
  Floats8 center = pair_at (a, b), neighbour[NEIGHBOURS], reference[AXES];
  Floats8 sum = center, mean;
  Ints8   count = { 1, 1, 1, 1, 1, 1, 1, 1 };

  for (gint d = 0; d < NEIGHBOURS; d++)
    neighbour[d] = pair_at (a + offsets[d], b + offsets[d]);
  for (gint axis = 0; axis < AXES; axis++)
    reference[axis] = bend (neighbour[axis], center, neighbour[NEIGHBOURS - 1 - axis]);
  for (gint d = 0; d < NEIGHBOURS; d++)
    {
      Floats8 value = half_way (neighbour[d], center);
      Ints8   valid = { -1, -1, -1, -1, -1, -1, -1, -1 };

      /* GEGL's test, "raises it", is false for a NaN: so is this one. */
      for (gint axis = 0; axis < AXES; axis++)
        valid &= ~(bend (neighbour[axis], value, neighbour[NEIGHBOURS - 1 - axis]) >
                   reference[axis]);
      /* Added where valid, left as it is elsewhere (adding 0 would turn a -0 into 0). */
      sum = (Floats8) (((Ints8) (sum + value) & valid) | ((Ints8) sum & ~valid));
      count -= valid;
    }
  mean = sum / __builtin_convertvector (count, Floats8);
  /* All four floats of each, the alpha kept: the next pixel reads these
   * whole, and a load is forwarded from a store of its size, not a smaller. */
  mean[3] = center[3];
  mean[7] = center[7];
  memcpy (a, &mean, 4 * sizeof (gfloat));
  memcpy (b, (gfloat *) &mean + 4, 4 * sizeof (gfloat));
}

/* One iteration over a width x height region whose first pixel is one
 * right of and below `buf`'s, in place, with GEGL's results: GEGL's loop
 * goes row by row, left to right, so a pixel sees the new values above and
 * to its left and the old ones below and to its right. Two rows go side by
 * side, the lower two pixels behind: pixel x of the lower row is smoothed
 * with pixel x + 2 of the upper, after x + 1 (its upper right neighbour)
 * and before x + 3 (whose neighbours below are x + 2 .. x + 4). */
SAME_ARITHMETIC_CLONES static void
sweep (gfloat *buf, gint stride, gint width, gint height)
{
  gint offsets[NEIGHBOURS];
  gint d = 0, y = 0;

  for (gint v = -1; v <= 1; v++)
    for (gint u = -1; u <= 1; u++)
      if (u != 0 || v != 0)
        offsets[d++] = (u + v * stride) * 4;
  for (; y + 1 < height; y += 2)
    {
      gfloat *upper = buf + ((gsize) (y + 1) * stride + 1) * 4;
      gfloat *lower = upper + (gsize) stride * 4;

      for (gint x = 0; x < width + 2; x++)
        {
          gfloat *a = upper + (gsize) x * 4, *b = lower + (gsize) (x - 2) * 4;

          /* Past either row's end, the other's pixel is done twice over. */
          if (x < width)
            smooth_pair (a, x >= 2 ? b : a, offsets);
          else if (x >= 2)
            smooth_pair (b, b, offsets);
        }
    }
  for (; y < height; y++)
    {
      gfloat *row = buf + ((gsize) (y + 1) * stride + 1) * 4;

      for (gint x = 0; x < width; x++)
        smooth_pair (row + (gsize) x * 4, row + (gsize) x * 4, offsets);
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
