/* Vectors of four channels that compute what GEGL's scalar channel loops
 * compute, lane by lane: IEEE float and double operations in the same
 * order, converted where C's promotions convert. */
#ifndef IMGFLO_SAME_ARITHMETIC_H
#define IMGFLO_SAME_ARITHMETIC_H

#include <glib.h>
#include <string.h>

/* The helpers are static inline: no call passes a vector across an ABI. */
#pragma GCC diagnostic ignored "-Wpsabi"

typedef gfloat  Floats4  __attribute__ ((vector_size (16)));
typedef gdouble Doubles4 __attribute__ ((vector_size (32)));
typedef gint32  Ints4    __attribute__ ((vector_size (16)));
typedef gfloat  Floats8  __attribute__ ((vector_size (32)));
typedef gdouble Doubles8 __attribute__ ((vector_size (64)));
typedef gint32  Ints8    __attribute__ ((vector_size (32)));

static inline Floats4
floats4_at (const gfloat *pixel)
{
  Floats4 v;

  memcpy (&v, pixel, sizeof v);
  return v;
}

static inline Floats8
floats8_at (const gfloat *from)
{
  Floats8 v;

  memcpy (&v, from, sizeof v);
  return v;
}

/* Element by element: GCC 12 lowers __builtin_convertvector of four floats
 * to doubles to two halves and a shuffle, where this is one vcvtps2pd. */
static inline Doubles4
widen (Floats4 v)
{
  return (Doubles4) { v[0], v[1], v[2], v[3] };
}

static inline Floats4
narrow (Doubles4 v)
{
  return __builtin_convertvector (v, Floats4);
}

/* C's  d * (b - a) + a  for a double d and floats a, b: the difference in
 * float, the rest in double. */
static inline Doubles4
lerp_wide (gdouble d, Floats4 a, Floats4 b)
{
  return d * widen (b - a) + widen (a);
}

/* The same, stored to a float. */
static inline Floats4
lerp_to_float (gdouble d, Floats4 a, Floats4 b)
{
  return narrow (lerp_wide (d, a, b));
}

/* A loop built for AVX2 as well as plain x86-64, chosen at run time (the
 * AVX2 build rounds with SSE4.1 instead of calling floor). Neither build
 * has FMA, so neither contracts a multiply and an add: both give the
 * floats of GEGL's own builds. */
/* What a clone calls is inlined into it, so that it is built for the clone's CPU too. */
#define SAME_ARITHMETIC_INLINE static inline __attribute__ ((always_inline))
#define SAME_ARITHMETIC_CLONES __attribute__ ((target_clones ("avx2", "default"), optimize ("O3")))

#endif
