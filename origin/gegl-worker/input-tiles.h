/* An image's wire pixels as a GEGL buffer in the input format whose tiles
 * are made when GEGL first asks for them, each widened from the wire
 * pixels on its own (wire_to_input): a graph that reads part of an image
 * (a crop, a rotation's corner) converts only that part, and no whole copy
 * of the image is made before GEGL starts. Tiles GEGL writes are kept. */
#ifndef IMGFLO_INPUT_TILES_H
#define IMGFLO_INPUT_TILES_H

#include <gegl.h>

/* A buffer covering `rect` (its pixels stand there in GEGL's coordinates)
 * over `pixels`, rect->width * rect->height wire pixels row by row, which
 * it takes over (g_free'd with the buffer). */
GeglBuffer *input_tiles_buffer_new (const GeglRectangle *rect, guint8 *pixels);

#endif
