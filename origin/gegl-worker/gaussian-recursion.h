/* gblur-1d's recursive Gaussian (Young / van Vliet, Triggs / Sdika ends) over
 * lines of RGBA floats, many lines side by side, in GEGL's own precision and
 * order of operations: the direct blur's filter (direct-blur.c). */
#ifndef IMGFLO_GAUSSIAN_RECURSION_H
#define IMGFLO_GAUSSIAN_RECURSION_H

#include <glib.h>

#define CHANNELS      4

/* Lines filtered together: enough independent recursions to keep the FPU
 * busy, few enough for the temporaries to stay in the L2 cache. */
#define ROWS_PER_PASS    8
#define COLUMNS_PER_PASS 32

/* gegl:gaussian-blur's "abyss-policy" enum values. */
enum { ABYSS_NONE = 0, ABYSS_CLAMP = 1, ABYSS_BLACK = 2, ABYSS_WHITE = 3 };

/* The third-order recursion of one axis: y[n] = b0 x[n] + b1 y[n-1] +
 * b2 y[n-2] + b3 y[n-3], run forwards then backwards, and the matrix that
 * starts the backward run from the end of the forward one. */
typedef struct
{
  gdouble b[4];
  gdouble m[3][3];
} Recursion;

/* The recursion's coefficients for a standard deviation, as gblur-1d computes them. */
void recursion_for (gfloat sigma, Recursion *r);

/* Filters `groups` lines (at most ROWS_PER_PASS, or COLUMNS_PER_PASS) of
 * `len` RGBA pixels in place: pixel n of line g, channel c is at
 * data[n * step + g * group_stride + c]; t holds (len + 6) * groups * 4 doubles. */
void filter_rows    (gfloat *data, gsize step, gsize group_stride, gint groups, gint len,
                     const Recursion *r, gint abyss, gdouble *t);
void filter_columns (gfloat *data, gsize step, gsize group_stride, gint groups, gint len,
                     const Recursion *r, gint abyss, gdouble *t);

#endif
