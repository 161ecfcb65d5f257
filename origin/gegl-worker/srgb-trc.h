/* sRGB's transfer curve in float, exactly as babl 0.1.98 computes it
 * (babl/base/util.h babl_linear_to_gamma_2_2f / babl_gamma_2_2_to_linearf,
 * with pow-24.h's Newton iterations), for many values at once. babl's own
 * code does one value per call through a function pointer (BablTRC's
 * fun_from_linear), which was a third of a multi-node graph's CPU time.
 * Every float gives the same bits as babl's: fast-trc-scan.c checks all
 * 2^32 of them against the function babl itself calls. */
#ifndef IMGFLO_SRGB_TRC_H
#define IMGFLO_SRGB_TRC_H

#include <glib.h>

/* One value, as babl's scalar code (the reference, and the vector code's
 * fallback outside the range its arithmetic covers). */
gfloat srgb_from_linear_one (gfloat linear);
gfloat srgb_to_linear_one   (gfloat encoded);

/* out[i] = srgb_from_linear_one (in[i]) for i < n (in and out may be the same). */
void   srgb_from_linear     (const gfloat *in,
                             gfloat       *out,
                             gsize         n);

/* out[i] = srgb_to_linear_one (in[i]) for i < n (in and out may be the same). */
void   srgb_to_linear       (const gfloat *in,
                             gfloat       *out,
                             gsize         n);

#endif
