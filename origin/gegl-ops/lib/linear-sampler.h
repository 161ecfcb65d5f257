/* GEGL 0.4.42's linear sampler (gegl-sampler-linear.c, with the box
 * average of gegl-sampler.h) on a plain array of RaGaBaA float pixels:
 * the same float and double operations in the same order, so the same
 * bytes, without the sampler's small window that it refetches through
 * gegl_buffer_get (tile look-ups, locks, copies) several times a pixel.
 *
 * It serves an axis-aligned scale, the same in x and y (GeglBufferMatrix2
 * diag (area, area)), with GEGL_ABYSS_CLAMP, on pixels converted to
 * RaGaBaA float (the sampler's interpolation format for a sampler of that
 * format, whose last conversion is then a copy).  A
 * coordinate's samples depend on that coordinate alone: the taps of each
 * output column and row are computed once, then combined per pixel. */
#ifndef IMGFLO_OPS_LINEAR_SAMPLER_H
#define IMGFLO_OPS_LINEAR_SAMPLER_H

#include <gegl.h>

/* Samples per axis of an output pixel covering `area` source pixels
 * across: 1 interpolates at its centre; from 2 (shrinking 2x or more) up
 * to 4, GEGL's box averages that many points per axis. */
G_GNUC_INTERNAL
gint linear_sampler_count (gdouble area);

/* One sample's place along an axis: the two neighbouring pixels, as
 * indices within the source's extent (clamped to it, as the sampler's
 * clamped reads end up), and the weight of the second. */
typedef struct
{
  gint   lo, hi;
  gfloat frac;
} LinearTap;

/* The `count` taps of the output pixel whose centre lies at source
 * coordinate `centre` along an axis whose source extent starts at `first`
 * and is `size` pixels long. */
G_GNUC_INTERNAL
void linear_sampler_taps (gdouble centre, gdouble area, gint count, gint first, gint size,
                          LinearTap *taps);

/* `n_rows` rows of `width` output pixels (4 floats each) into `out`:
 * `rows` holds each row's `count` taps, `columns` each column's, both
 * within `source`, the part of `input` that the samples clamp to.  Reads
 * (in `format`, the interpolation format) only the rows of `source` that
 * the taps name, once. */
G_GNUC_INTERNAL
void linear_sampler_band (GeglBuffer *input, const Babl *format, const GeglRectangle *source,
                          const LinearTap *rows, gint n_rows, const LinearTap *columns,
                          gint width, gint count, gfloat *out);

#endif
