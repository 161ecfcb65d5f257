/* gegl:gaussian-blur's recursive filter over a whole image in memory: the
 * two passes of its gblur-1d nodes (across every row, then down every
 * column) on linear RaGaBaA floats, in GEGL's precision and order of
 * operations (gaussian-recursion.h), each pass divided among GEGL's
 * threads. The lone blur (direct-blur.h) and a blur inside a graph
 * (whole-image-blur.h) both compute with it. */
#ifndef IMGFLO_IMAGE_BLUR_H
#define IMGFLO_IMAGE_BLUR_H

#include "gaussian-recursion.h"

#include <gegl.h>

/* What gblur-1d converts an RGBA image to, and blurs. */
#define IMAGE_BLUR_FORMAT "RaGaBaA float"

/* A gegl:gaussian-blur node's filter: one recursion per axis, its abyss policy. */
typedef struct
{
  Recursion across;
  Recursion down;
  gint      abyss;
} ImageBlur;

/* FALSE when IMGFLO_WORKER_DIRECT=0: every blur then goes through GEGL's
 * own nodes (the tests compare both ways). */
gboolean image_blur_enabled (void);

/* TRUE when this gegl:gaussian-blur node is the recursive filter on both
 * axes (GEGL's "auto" picks it from a standard deviation of 1 up) with its
 * output clipped to its input's extent: what image_blur_run computes. */
gboolean image_blur_applies (GeglNode *blur);

/* The filter of a node image_blur_applies to. */
void     image_blur_of (GeglNode *blur, ImageBlur *filter);

/* Blurs width x height IMAGE_BLUR_FORMAT pixels, rows packed, in place.
 * FALSE when a thread could not allocate its lines' temporaries. */
gboolean image_blur_run (const ImageBlur *filter, gfloat *image, gint width, gint height);

/* The cost gegl_parallel_distribute_range is given per line, for the
 * passes and for conversions of a line: a thread's start-up is worth a few
 * lines of work. Lines are independent, so the thread count changes no byte. */
#define IMAGE_BLUR_LINE_COST 4.0

#endif
