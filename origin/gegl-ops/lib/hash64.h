/* A small splitmix64-style integer hash, for ops that draw pseudo-random
 * values from their coordinates and a seed (no state, so every tiling and
 * thread count draws the same). */
#ifndef IMGFLO_OPS_HASH64_H
#define IMGFLO_OPS_HASH64_H

#include <glib.h>

static inline guint64
mix64 (guint64 z)
{
  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z  = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z  = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static inline gdouble
unit_double (guint64 h)
{
  return (h >> 11) * (1.0 / 9007199254740992.0);
}

#endif
