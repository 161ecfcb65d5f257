/* A graph that is nothing but one gegl:gaussian-blur, computed without
 * GEGL's tiled buffers: the same conversions (babl's own fishes, in the
 * same 128-pixel runs as GEGL's tiles) and the same recursive filter
 * (Young / van Vliet with Triggs / Sdika boundaries, in the same double
 * precision and the same order of operations), but over one linear image,
 * many lines at a time. The output is byte for byte GEGL's
 * (direct-blur.test.ts compares the two). */
#ifndef IMGFLO_DIRECT_BLUR_H
#define IMGFLO_DIRECT_BLUR_H

#include <gegl.h>

/* Blurs width x height wire pixels (wire-pixels.h) as `blur` would, fed
 * them in the worker's input format, and writes the result over them (the
 * input is read whole before: a 12 MP render needs no second 48 MB).
 * FALSE, with `rgba` unchanged, when out of memory. */
gboolean direct_blur_render (GeglNode *blur,
                             guint8   *rgba,
                             gint      width,
                             gint      height);

#endif
