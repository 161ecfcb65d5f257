/* The pixels on the wire, both ways: 8-bit sRGB RGBA, non-premultiplied,
 * row-major; and the format the worker gives input pixels to GEGL in. */
#ifndef IMGFLO_WIRE_PIXELS_H
#define IMGFLO_WIRE_PIXELS_H

#include <gegl.h>

#define WIRE_FORMAT "R'G'B'A u8"

/* The format input pixels are given to GEGL in: R'G'B'A u16 (each value
 * widened exactly, v * 257), or the wire format itself with
 * IMGFLO_WORKER_INPUT=u8. */
const Babl *wire_input_format (void);

/* TRUE when the input format is the wire format (no conversion needed). */
gboolean    wire_input_is_wire (void);

/* Writes `pixels` wire pixels from src to dst in the input format. */
void        wire_to_input      (const guint8 *src,
                                guint8       *dst,
                                gsize         pixels);

#endif
