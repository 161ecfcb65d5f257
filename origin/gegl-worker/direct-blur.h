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
 * them in the worker's input format. Returns width * height * 4 bytes of
 * wire pixels (g_free), or NULL when out of memory. */
guint8 *direct_blur_render (GeglNode     *blur,
                            const guint8 *rgba,
                            gint          width,
                            gint          height);

#endif
