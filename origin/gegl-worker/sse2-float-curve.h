/* sRGB's curve between RGBA float and R'G'B'A float as babl 0.1.98's
 * sse2-float extension computes it (extensions/sse2-float.c, GAMMA_RGBA
 * with linear_to_gamma_2_2_sse2 and gamma_2_2_to_linear_sse2: a polynomial
 * guess and two Newton steps, four values at a time), for many pixels at
 * once, with the same bits. That is another curve than babl's base one
 * (srgb-trc.h): the R' formats' conversions in babl's chains are these.
 *
 * babl's code falls back to expf (logf ()) for a whole vector of four
 * values when the largest (in maxps' order) is past the Newton range; the
 * vectors are those of a 16-byte-aligned call, which is how babl calls it
 * inside a chain: the red and green of pixels 4k and 4k+1, of 4k+2 and
 * 4k+3, the blue of the four, and each pixel of the last n % 4 alone, its
 * alpha included. These functions take that call's pixels, so they form
 * the same vectors. */
#ifndef IMGFLO_SSE2_FLOAT_CURVE_H
#define IMGFLO_SSE2_FLOAT_CURVE_H

#include <glib.h>

/* n RGBA float pixels from linear to the curve (conv_rgbaF_linear_rgbaF_gamma),
 * alpha kept; in and out may be the same. */
void  sse2_float_from_linear (const gfloat *in, gfloat *out, glong n);

/* One encoded value (0..1) to linear (gamma_2_2_to_linear_sse2's lane):
 * no value in that range leaves the Newton range. */
gfloat sse2_float_to_linear_one (gfloat encoded);

#endif
