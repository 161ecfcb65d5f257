/* imgflo:whole-image-blur, a GEGL operation of the worker's own: a
 * gegl:gaussian-blur inside a graph computed over its input's whole extent
 * at once, in one float image (image-blur.h), instead of through two
 * gblur-1d nodes and their tiled buffers. Its output is byte for byte the
 * blur's (whole-image-blur.test.ts). blur-swaps.c puts it in graphs. */
#ifndef IMGFLO_WHOLE_IMAGE_BLUR_H
#define IMGFLO_WHOLE_IMAGE_BLUR_H

#include "image-blur.h"

#include <gegl.h>

/* A node in `graph` computing `filter`. */
GeglNode *whole_image_blur_new (GeglNode *graph, const ImageBlur *filter);

#endif
