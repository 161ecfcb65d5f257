/* imgflo:motion-blur-linear
 *
 * gegl:motion-blur-linear (GEGL 0.4.42) with the same pads, properties,
 * region of interest, formats and abyss, and the same bytes: the origin's
 * compile swaps it in for GEGL's (origin/compile/operation-swaps.ts).
 *
 * Each output pixel is the mean of ceil(length) + 1 bilinear samples along
 * the blur's line, read from the input region (clamped to it) in
 * "RaGaBaA float". The samples' positions and weights are computed as
 * GEGL's loop computes them (per pixel, in double precision), the lerps in
 * the same mix of float and double; what changes is that the four channels
 * of a sample are one vector, the steps' offsets are computed once, a
 * horizontal line's columns are widened to double once per row and its
 * pixels' sums kept in registers, and the loop is built for the CPU GEGL
 * built its own for (lib/same-arithmetic.h).
 * (The file name is GEGL's with a prefix: GEGL names an operation's type
 * after its source file, and two types may not share a name.)
 */

#ifdef GEGL_PROPERTIES

property_double (length, "Length", 10.0)
    description ("Length of blur in pixels")
    value_range (0.0, 1000.0)
    ui_range    (0.0, 300.0)
    ui_gamma    (1.5)
    ui_meta     ("unit", "pixel-distance")

property_double (angle, "Angle", 0.0)
    description ("Angle of blur in degrees")
    value_range (-180, 180)
    ui_meta     ("unit", "degree")
    ui_meta     ("direction", "cw")

#else

#define GEGL_OP_AREA_FILTER
#define GEGL_OP_NAME     imgflo_motion_blur_linear
#define GEGL_OP_C_SOURCE imgflo-motion-blur-linear.c

#include "gegl-op.h"
#include "lib/rendered-mark.h"
#include "lib/same-arithmetic.h"

#include <math.h>
#include <string.h>

#define BLUR_FORMAT "RaGaBaA float"

/* The blur's direction in radians, in [0, 2 pi) as GEGL turns it. */
static gdouble
direction (const GeglProperties *o)
{
  gdouble theta = o->angle * G_PI / 180.0;

  while (theta < 0.0)
    theta += 2 * G_PI;
  return theta;
}

static void
prepare (GeglOperation *operation)
{
  const Babl              *space   = gegl_operation_get_source_space (operation, "input");
  GeglOperationAreaFilter *area    = GEGL_OPERATION_AREA_FILTER (operation);
  GeglProperties          *o       = GEGL_PROPERTIES (operation);
  gdouble                  theta   = direction (o);
  gdouble                  reach_x = fabs (o->length * cos (theta));
  gdouble                  reach_y = fabs (o->length * sin (theta));

  area->left = area->right = (gint) ceil (0.5 * reach_x);
  area->top = area->bottom = (gint) ceil (0.5 * reach_y);
  gegl_operation_set_format (operation, "input", babl_format_with_space (BLUR_FORMAT, space));
  gegl_operation_set_format (operation, "output", babl_format_with_space (BLUR_FORMAT, space));
}

/* One output region's work: the input region (src), the steps' offsets
 * along the line, and where the output goes. */
typedef struct
{
  const gfloat  *in;     /* rows first .. first + held - 1 of the input region */
  gint           first, held;
  GeglRectangle  src;    /* the input region (of the whole call: samples clamp to it) */
  GeglRectangle  roi;    /* the output rows being done */
  gint           steps;
  const gdouble *step_x;
  const gdouble *step_y;
  /* The line's offset across rows (0: a horizontal blur). */
  gdouble        across;
  gfloat        *out;
} Blur;

/* The input's row y (clamped to the input region). */
static inline const gfloat *
input_row (const Blur *b, gint y)
{
  gint row = CLAMP (y - b->src.y, 0, b->src.height - 1);

  return b->in + (gsize) (row - b->first) * b->src.width * 4;
}

/* TRUE when every float is finite, under 2^126 in magnitude (so that no
 * difference of two overflows) and none is -0: then a lerp by 0 gives its
 * first float, bit for bit. */
static gboolean
all_plain (const gfloat *values, gsize count)
{
  guint32 odd = 0;

  for (gsize i = 0; i < count; i++)
    {
      guint32 bits;

      memcpy (&bits, values + i, sizeof bits);
      odd |= (bits & 0x7f800000u) >= 0x7e800000u || bits == 0x80000000u;
    }
  return odd == 0;
}

/* GEGL's lerp across rows for one step of one output row, done once for
 * each input column instead of twice for each output pixel: it depends on
 * the row and the step only (the sample's row and weight), and on the
 * column the sample's clamped column gives. */
SAME_ARITHMETIC_INLINE void
mix_rows (const Blur *b, gdouble yy, gfloat *mixed)
{
  gdouble       fy = floor (yy);
  const gfloat *top = input_row (b, (gint) fy);
  const gfloat *bottom = input_row (b, (gint) fy + 1);

  for (gint c = 0; c < b->src.width * 4; c += 4)
    {
      Floats4 mix = lerp_to_float (yy - fy, floats4_at (top + c), floats4_at (bottom + c));

      memcpy (mixed + c, &mix, sizeof mix);
    }
}

/* Output rows done at a time: each band's input and output fit in the
 * caches and are reused, instead of two whole-region buffers that every
 * render faults in afresh. */
#define BAND_ROWS 32

/* Output rows summed side by side: a sample's column and weight along its
 * row depend on the step and the output column only, so they are computed
 * once for the rows of a band. */
#define BAND 4

/* One step's samples, lerped along the row, added to each pixel's sum as
 * GEGL adds it (the sum a float, the addition in double), for `rows` output
 * rows (1 or BAND): row r samples `from[r]` and sums into `sums[r]`. */
SAME_ARITHMETIC_INLINE void
add_step (const Blur *b, gint rows, const gfloat *const *from, gdouble step_x,
          gfloat *const *sums)
{
  gint last = b->src.width - 1, left = b->src.x, x0 = b->roi.x, width = b->roi.width;

  for (gint x = 0; x < width; x++)
    {
      gdouble xx = (x + x0) + step_x;
      gdouble fx = floor (xx);
      gint    ix = (gint) fx - left;
      gsize   i0 = (gsize) CLAMP (ix, 0, last) * 4, i1 = (gsize) CLAMP (ix + 1, 0, last) * 4;

      for (gint r = 0; r < rows; r++)
        {
          Floats4 sum = floats4_at (sums[r] + (gsize) x * 4);

          sum = narrow (widen (sum) +
                        lerp_wide (xx - fx, floats4_at (from[r] + i0), floats4_at (from[r] + i1)));
          memcpy (sums[r] + (gsize) x * 4, &sum, sizeof sum);
        }
    }
}

/* An input column's floats for the lerps along a row, widened once for all
 * the steps instead of at each: its value and the difference from it to the
 * next column's (0 past either end, where GEGL's samples clamp). */
typedef struct
{
  Doubles4 value;
  Doubles4 difference;
} Column;

/* The columns of one input row, from column -1 (as column 0) to the last. */
SAME_ARITHMETIC_INLINE void
row_columns (const Blur *b, const gfloat *row, Column *columns)
{
  gint last = b->src.width - 1;

  for (gint i = -1; i <= last; i++)
    {
      Floats4 value = floats4_at (row + (gsize) CLAMP (i, 0, last) * 4);
      Floats4 next = floats4_at (row + (gsize) CLAMP (i + 1, 0, last) * 4);

      columns[i + 1] = (Column) { widen (value), widen (next - value) };
    }
}

/* Rows summed at a time along a horizontal line: each pixel's sums stay in
 * registers over the steps, the rows' chains of additions side by side. */
#define ALONG_ROWS 8

/* A horizontal line's means of `rows` output rows from row y on (1 or
 * ALONG_ROWS), pixel by pixel, each pixel's sums step by step (the order
 * of GEGL's additions) from its rows' columns: a sample's lerp is GEGL's
 * d * widen (b - a) + widen (a)  of them. The line samples its own row
 * with a row weight of 0, and GEGL's lerp by 0 gives the row's floats when
 * they are plain: so the rows are the input's as they are. */
SAME_ARITHMETIC_INLINE void
mean_rows_along (const Blur *b, gint y, gint rows, Column *columns, gfloat inverse)
{
  gint          last = b->src.width - 1, left = b->src.x, x0 = b->roi.x;
  const Column *of[ALONG_ROWS];

  for (gint r = 0; r < rows; r++)
    {
      Column *mine = columns + (gsize) r * (b->src.width + 1);

      row_columns (b, input_row (b, y + r + b->roi.y), mine);
      of[r] = mine;
    }
  for (gint x = 0; x < b->roi.width; x++)
    {
      Floats4 sums[ALONG_ROWS];

      for (gint r = 0; r < rows; r++)
        sums[r] = (Floats4) { 0 };
      for (gint step = 0; step < b->steps; step++)
        {
          gdouble xx = (x + x0) + b->step_x[step];
          gdouble fx = floor (xx);
          gdouble d = xx - fx;
          gint    j = CLAMP ((gint) fx - left, -1, last) + 1;

          for (gint r = 0; r < rows; r++)
            sums[r] = narrow (widen (sums[r]) + (d * of[r][j].difference + of[r][j].value));
        }
      for (gint r = 0; r < rows; r++)
        {
          Floats4 mean = sums[r] * inverse;

          memcpy (b->out + ((gsize) (y + r) * b->roi.width + x) * 4, &mean, sizeof mean);
        }
    }
}

/* The sums of `rows` output rows from row y on (1 or BAND), step by step
 * (the order of GEGL's additions), in the output itself, for a line across
 * rows: each step's rows are lerped into `mixed` (room for BAND rows). */
SAME_ARITHMETIC_INLINE void
sum_band (const Blur *b, gint y, gint rows, gfloat *mixed)
{
  gfloat *from[BAND];
  gfloat *sums[BAND];

  for (gint r = 0; r < rows; r++)
    {
      sums[r] = b->out + (gsize) (y + r) * b->roi.width * 4;
      memset (sums[r], 0, sizeof (gfloat) * 4 * b->roi.width);
      from[r] = mixed + (gsize) r * b->src.width * 4;
    }
  for (gint step = 0; step < b->steps; step++)
    {
      for (gint r = 0; r < rows; r++)
        mix_rows (b, (y + r + b->roi.y) + b->step_y[step], from[r]);
      add_step (b, rows, (const gfloat *const *) from, b->step_x[step], sums);
    }
}

/* Every output row's mean: a horizontal line's of plain floats ALONG_ROWS
 * rows at a time, any other's BAND rows at a time (the counts constants
 * there, so that the compiler unrolls them), then one at a time. */
SAME_ARITHMETIC_CLONES static void
blur_rows (const Blur *b, gfloat *mixed, Column *columns)
{
  gfloat inverse = 1.0f / b->steps;
  gint   y = 0;

  if (b->across == 0.0 && all_plain (b->in, (gsize) b->src.width * b->held * 4))
    {
      for (; y + ALONG_ROWS <= b->roi.height; y += ALONG_ROWS)
        mean_rows_along (b, y, ALONG_ROWS, columns, inverse);
      for (; y < b->roi.height; y++)
        mean_rows_along (b, y, 1, columns, inverse);
      return;
    }
  for (; y + BAND <= b->roi.height; y += BAND)
    sum_band (b, y, BAND, mixed);
  for (; y < b->roi.height; y++)
    sum_band (b, y, 1, mixed);
  for (gsize i = 0; i < (gsize) b->roi.width * b->roi.height * 4; i++)
    b->out[i] *= inverse;
}

static gboolean
process (GeglOperation *operation, GeglBuffer *input, GeglBuffer *output,
         const GeglRectangle *roi, gint level)
{
  GeglOperationAreaFilter *area   = GEGL_OPERATION_AREA_FILTER (operation);
  GeglProperties          *o      = GEGL_PROPERTIES (operation);
  gdouble                  theta  = direction (o);
  gint                     steps  = (gint) ceil (o->length) + 1;
  gdouble                  line_x = o->length * cos (theta);
  gdouble                  line_y = o->length * sin (theta);
  gdouble                 *offsets = g_new (gdouble, 2 * steps);
  gint                     reach = area->top + area->bottom + 1;
  gfloat                  *mixed, *in;
  Column                  *columns;
  Blur                     b = { .roi = *roi, .steps = steps, .step_x = offsets,
                                 .step_y = offsets + steps, .across = line_y };

  (void) level;
  for (gint step = 0; step < steps; step++)
    {
      gdouble t = steps == 1 ? 0.0 : step / (gdouble) (steps - 1) - 0.5;

      offsets[step] = t * line_x;
      offsets[steps + step] = t * line_y;
    }
  b.src = (GeglRectangle) { roi->x - area->left, roi->y - area->top,
                            roi->width + area->left + area->right,
                            roi->height + area->top + area->bottom };
  b.in = in = g_new (gfloat, (gsize) b.src.width * MIN (BAND_ROWS + reach, b.src.height) * 4);
  b.out = g_new (gfloat, (gsize) roi->width * BAND_ROWS * 4);
  mixed = g_new (gfloat, (gsize) b.src.width * 4 * BAND);
  /* Aligned for its vectors, which g_new's memory is not. */
  columns = g_aligned_alloc ((gsize) (b.src.width + 1) * ALONG_ROWS, sizeof (Column), sizeof (Doubles4));
  /* Band by band: output row y's samples reach input rows y .. y + reach
   * of the region (clamped to it). */
  for (gint y0 = 0; y0 < roi->height; y0 += BAND_ROWS)
    {
      gint          rows = MIN (BAND_ROWS, roi->height - y0);
      GeglRectangle band_in;

      b.first = y0;
      b.held = MIN (y0 + rows - 1 + reach, b.src.height - 1) - y0 + 1;
      band_in = (GeglRectangle) { b.src.x, b.src.y + y0, b.src.width, b.held };
      b.roi = (GeglRectangle) { roi->x, roi->y + y0, roi->width, rows };
      gegl_buffer_get (input, &band_in, 1.0, gegl_operation_get_format (operation, "input"), in,
                       GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      blur_rows (&b, mixed, columns);
      gegl_buffer_set (output, &b.roi, 0, gegl_operation_get_format (operation, "output"), b.out,
                       GEGL_AUTO_ROWSTRIDE);
    }
  g_free (mixed);
  g_aligned_free (columns);
  g_free (in);
  g_free (b.out);
  g_free (offsets);
  rendered_mark (operation);
  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass       *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationFilterClass *filter_class    = GEGL_OPERATION_FILTER_CLASS (klass);

  operation_class->prepare = prepare;
  filter_class->process    = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:motion-blur-linear",
    "title",       "Linear Motion Blur",
    "categories",  "blur",
    "description", "Blur pixels in a direction, simulates blurring caused by moving camera "
                   "in a straight line during exposure.",
    NULL);
}

#endif
