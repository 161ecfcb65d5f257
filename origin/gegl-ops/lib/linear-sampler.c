/* See linear-sampler.h.  Built for plain x86-64 (no FMA), as Debian builds
 * libgegl's samplers: no multiply and add is contracted here either. */
#include "lib/linear-sampler.h"

#include "lib/same-arithmetic.h"

#include <math.h>

/* The most samples per axis GEGL's linear sampler asks its box for. */
#define MAX_COUNT 4

/* int_floorf of gegl-buffer-formats.h: truncation, then one down when
 * that went up. */
static inline gint
floor_to_int (gfloat value)
{
  gint truncated = (gint) value;

  return truncated - (truncated > value);
}

gint
linear_sampler_count (gdouble area)
{
  /* The box's test on the norm of the matrix's column, 0 off the diagonal. */
  gdouble norm2 = area * area + 0.0 * 0.0;
  gint    whole = floor (fabs (area));

  if (norm2 < 4.0)
    return 1;
  return CLAMP (whole, 1, MAX_COUNT);
}

static LinearTap
tap_at (gdouble coordinate, gint first, gint size)
{
  /* Pixel centres at half-integers: the index of the one left of (above)
   * the point, in float as the sampler computes it. */
  const gfloat shifted = (gfloat) coordinate - 0.5;
  const gint   index = floor_to_int (shifted);
  gint         last = first + size - 1;

  return (LinearTap) {
    CLAMP (index, first, last) - first,
    CLAMP (index + 1, first, last) - first,
    shifted - index,
  };
}

void
linear_sampler_taps (gdouble centre, gdouble area, gint count, gint first, gint size,
                     LinearTap *taps)
{
  gdouble step, at;

  if (count == 1)
    {
      taps[0] = tap_at (centre, first, size);
      return;
    }
  /* The box's points: `count` steps of area / count, centred on the pixel,
   * each step added to the last. */
  step = area * (1.0 / count);
  at = centre - (area - step) / 2.0;
  for (gint i = 0; i < count; i++, at += step)
    taps[i] = tap_at (at, first, size);
}

/* gegl_sampler_linear_interpolate at one (column, row) tap pair. */
static inline Floats4
interpolate (const gfloat *top, const gfloat *bottom, const LinearTap *column, gfloat y)
{
  const gfloat x = column->frac;
  const gfloat x_times_y = x * y;
  const gfloat w_times_y = y - x_times_y;
  const gfloat x_times_z = x - x_times_y;
  const gfloat w_times_z = (gfloat) 1. - (x + w_times_y);
  const gint   left = column->lo * 4, right = column->hi * 4;

  return x_times_y * floats4_at (bottom + right) + w_times_y * floats4_at (bottom + left) +
         x_times_z * floats4_at (top + right) + w_times_z * floats4_at (top + left);
}

/* The box's sum over its count x count points, rows outer, then its mean
 * (the float sum times the double inverse of the number of points). */
static inline Floats4
box_average (const gfloat *const *tops, const gfloat *const *bottoms, const LinearTap *rows,
             const LinearTap *columns, gint count, gdouble inverse)
{
  Floats4 sum = { 0.0f, 0.0f, 0.0f, 0.0f };

  for (gint v = 0; v < count; v++)
    for (gint u = 0; u < count; u++)
      sum += interpolate (tops[v], bottoms[v], &columns[u], rows[v].frac);
  return narrow (widen (sum) * inverse);
}

/* One row of output pixels from `pixels` (rows of `stride` floats, which
 * the row's `count` taps in `rows` index). */
static void
sample_row (const gfloat *pixels, gsize stride, const LinearTap *rows, const LinearTap *columns,
            gint width, gint count, gfloat *out)
{
  const gfloat *tops[MAX_COUNT], *bottoms[MAX_COUNT];
  /* uv_samples_inv: the inverses per axis, multiplied. */
  const gdouble inverse = (1.0 / count) * (1.0 / count);

  for (gint v = 0; v < count; v++)
    {
      tops[v] = pixels + rows[v].lo * stride;
      bottoms[v] = pixels + rows[v].hi * stride;
    }
  for (gint x = 0; x < width; x++, out += 4, columns += count)
    {
      Floats4 value = count == 1
                        ? interpolate (tops[0], bottoms[0], columns, rows[0].frac)
                        : box_average (tops, bottoms, rows, columns, count, inverse);

      memcpy (out, &value, sizeof value);
    }
}

void
linear_sampler_band (GeglBuffer *input, const Babl *format, const GeglRectangle *source,
                     const LinearTap *rows, gint n_rows, const LinearTap *columns, gint width,
                     gint count, gfloat *out)
{
  gsize         stride = (gsize) source->width * 4;
  gint          lo = G_MAXINT, hi = G_MININT;
  GeglRectangle read;
  gfloat       *pixels;

  for (gint i = 0; i < n_rows * count; i++)
    {
      lo = MIN (lo, rows[i].lo);
      hi = MAX (hi, rows[i].hi);
    }
  read = (GeglRectangle) { source->x, source->y + lo, source->width, hi - lo + 1 };
  pixels = g_new (gfloat, stride * read.height);
  gegl_buffer_get (input, &read, 1.0, format, pixels, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  for (gint row = 0; row < n_rows; row++, rows += count, out += (gsize) width * 4)
    {
      LinearTap in_read[MAX_COUNT];

      for (gint v = 0; v < count; v++)
        in_read[v] = (LinearTap) { rows[v].lo - lo, rows[v].hi - lo, rows[v].frac };
      sample_row (pixels, stride, in_read, columns, width, count, out);
    }
  g_free (pixels);
}
