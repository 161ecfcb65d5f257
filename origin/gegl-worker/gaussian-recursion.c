#include "gaussian-recursion.h"

#include <math.h>

/* Young and van Vliet's coefficients for sigma (Signal Processing 44, 1995)
 * and Triggs and Sdika's boundary matrix (IEEE TSP 54, 2006), normalised
 * as GEGL's gblur-1d does; evaluated in GEGL's order, so every double is
 * the same. Sigma arrives as a float, as gblur-1d narrows it. */
void
recursion_for (gfloat sigma, Recursion *r)
{
  const gdouble k1 = 2.44413, k2 = 1.4281, k3 = 0.422205;
  const gdouble q = sigma >= 2.5 ? 0.98711 * sigma - 0.96330
                                 : 3.97156 - 4.14554 * sqrt (1 - 0.26891 * sigma);
  const gdouble b0 = 1.57825 + q * (k1 + q * (k2 + q * k3));
  const gdouble b1 = q * (k1 + q * (2 * k2 + q * 3 * k3));
  const gdouble b2 = (-k2 * q * q) + (-k3 * 3 * q * q * q);
  const gdouble b3 = q * q * q * k3;
  const gdouble a1 = b1 / b0, a2 = b2 / b0, a3 = b3 / b0;
  const gdouble c = 1. / ((1 + a1 - a2 + a3) * (1 + a2 + (a1 - a3) * a3));

  r->m[0][0] = c * (-a3 * (a1 + a3) - a2 + 1);
  r->m[0][1] = c * (a3 + a1) * (a2 + a3 * a1);
  r->m[0][2] = c * a3 * (a1 + a3 * a2);
  r->m[1][0] = c * (a1 + a3 * a2);
  r->m[1][1] = c * (1 - a2) * (a2 + a3 * a1);
  r->m[1][2] = c * a3 * (1 - a3 * a1 - a3 * a3 - a2);
  r->m[2][0] = c * (a3 * a1 + a2 + a1 * a1 - a2 * a2);
  r->m[2][1] = c * (a1 * a2 + a3 * a2 * a2 - a1 * a3 * a3 - a3 * a3 * a3 - a3 * a2 + a3);
  r->m[2][2] = c * a3 * (a1 + a3 * a2);
  r->b[0] = 1. - (b1 + b2 + b3) / b0;
  r->b[1] = a1;
  r->b[2] = a2;
  r->b[3] = a3;
}

/* The value beyond both ends of a line, per lane, for policies that do not
 * depend on the line (clamp does: its ends are the line's own pixels). */
static gfloat
abyss_value (gint abyss, gint channel)
{
  switch (abyss)
    {
    case ABYSS_WHITE:
      return 1.0f;
    case ABYSS_BLACK:
      return channel == CHANNELS - 1 ? 1.0f : 0.0f;
    default:
      return 0.0f;
    }
}

/* The value each lane's line has beyond its ends: its own edge pixels when
 * clamped, else the abyss colour's channel. */
static inline __attribute__ ((always_inline)) void
line_ends (const gfloat *data, gsize step, gsize group_stride, gint groups, gint len, gint abyss,
           gfloat *before, gfloat *after)
{
  for (gint g = 0; g < groups; g++)
    for (gint c = 0; c < CHANNELS; c++)
      {
        gint l = g * CHANNELS + c;
        if (abyss == ABYSS_CLAMP)
          {
            before[l] = data[g * group_stride + c];
            after[l] = data[(gsize) (len - 1) * step + g * group_stride + c];
          }
        else
          before[l] = after[l] = abyss_value (abyss, c);
      }
}

/* The three values after the line, from the last three forward ones. */
static inline __attribute__ ((always_inline)) void
line_tail (gdouble *end, gint lanes, const Recursion *r, const gfloat *after)
{
  for (gint l = 0; l < lanes; l++)
    {
      gdouble u[3] = { end[l - lanes] - after[l], end[l - 2 * lanes] - after[l],
                       end[l - 3 * lanes] - after[l] };
      for (gint i = 0; i < 3; i++)
        {
          gdouble v = 0.;
          for (gint k = 0; k < 3; k++)
            v += r->m[i][k] * u[k];
          end[i * lanes + l] = v + after[l];
        }
    }
}

/* Filters `groups` lines of `len` RGBA pixels in place. Pixel n of line g,
 * channel c is at data[n * step + g * group_stride + c]. t holds
 * (len + 6) * groups * CHANNELS doubles: three values before the line,
 * the line, three after, every lane side by side. */
static inline __attribute__ ((always_inline)) void
filter_lines (gfloat *data, gsize step, gsize group_stride, gint groups, gint len,
              const Recursion *r, gint abyss, gdouble *t)
{
  const gint    lanes = groups * CHANNELS;
  const gdouble b0 = r->b[0], b1 = r->b[1], b2 = r->b[2], b3 = r->b[3];
  gfloat        before[ROWS_PER_PASS * CHANNELS > COLUMNS_PER_PASS * CHANNELS
                       ? ROWS_PER_PASS * CHANNELS : COLUMNS_PER_PASS * CHANNELS];
  gfloat        after[G_N_ELEMENTS (before)];

  g_assert (lanes <= (gint) G_N_ELEMENTS (before));
  line_ends (data, step, group_stride, groups, len, abyss, before, after);

  /* Forwards, from three copies of the value before the line. */
  for (gint k = 0; k < 3; k++)
    for (gint l = 0; l < lanes; l++)
      t[k * lanes + l] = before[l];
  for (gint n = 0; n < len; n++)
    {
      gdouble      *y = t + (gsize) (n + 3) * lanes;
      const gfloat *x = data + (gsize) n * step;

      /* Down a column strip each pixel is a row (a page) away from the last, too far for the
       * hardware prefetcher: fetch 8 rows ahead (a tenth off a 1.4 MP blur). */
      if (step > CHANNELS && n + 8 < len)
        for (gint g = 0; g < groups; g += 4)
          __builtin_prefetch (x + 8 * step + g * group_stride, 0);

      for (gint g = 0; g < groups; g++)
        for (gint c = 0; c < CHANNELS; c++)
          {
            gint    l = g * CHANNELS + c;
            gdouble v = b0 * x[g * group_stride + c];
            v += b1 * y[l - lanes];
            v += b2 * y[l - 2 * lanes];
            v += b3 * y[l - 3 * lanes];
            y[l] = v;
          }
    }

  line_tail (t + (gsize) (len + 3) * lanes, lanes, r, after);

  /* Backwards, writing the result. */
  for (gint n = len - 1; n >= 0; n--)
    {
      gdouble *y = t + (gsize) (n + 3) * lanes;
      gfloat  *x = data + (gsize) n * step;

      if (step > CHANNELS && n >= 8)
        for (gint g = 0; g < groups; g += 4)
          __builtin_prefetch (x - 8 * step + g * group_stride, 1);

      for (gint g = 0; g < groups; g++)
        for (gint c = 0; c < CHANNELS; c++)
          {
            gint    l = g * CHANNELS + c;
            gdouble v = y[l] * b0;
            v += b1 * y[l + lanes];
            v += b2 * y[l + 2 * lanes];
            v += b3 * y[l + 3 * lanes];
            y[l] = v;
            x[g * group_stride + c] = v;
          }
    }
}

/* filter_lines for a full block of lines (their count a constant, so that
 * the compiler vectorises across them) or a last, partial one. Built for
 * AVX2 as well as plain x86-64, chosen at run time; neither contracts
 * multiply-adds, so both give the same doubles. */
#define FILTER_BLOCK(name, full)                                                           \
  __attribute__ ((target_clones ("avx2", "default"), optimize ("O3"))) void name (          \
    gfloat *data, gsize step, gsize group_stride, gint groups, gint len, const Recursion *r, \
    gint abyss, gdouble *t)                                                                 \
  {                                                                                         \
    if (groups == (full))                                                                   \
      filter_lines (data, step, group_stride, (full), len, r, abyss, t);                    \
    else                                                                                    \
      filter_lines (data, step, group_stride, groups, len, r, abyss, t);                    \
  }

FILTER_BLOCK (filter_rows, ROWS_PER_PASS)
FILTER_BLOCK (filter_columns, COLUMNS_PER_PASS)
