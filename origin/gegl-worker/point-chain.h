/* imgflo:point-chain, a GEGL operation of the worker's own: a chain of point
 * operations (filters and composers whose output at a pixel depends on their
 * inputs at that pixel alone) computed over small runs of pixels, without a
 * GEGL buffer between them. Each step is the graph's own operation object,
 * prepared by the chain and called with what GEGL would have given it: its
 * inputs converted by babl's fish from the producer's format to the pad's,
 * so the output is GEGL's, byte for byte (point-chains.test.ts).
 *
 * When the source's pixels are 8 bytes or fewer (the input image's 16-bit
 * RGBA is), the chain is computed once per distinct source value
 * (pixel-memo.h). point-chain-fusion.c puts chains in graphs. */
#ifndef IMGFLO_POINT_CHAIN_H
#define IMGFLO_POINT_CHAIN_H

#include <gegl.h>

/* What feeds a step's pad, besides an earlier step (its index). */
#define POINT_CHAIN_SOURCE (-1) /* the chain's input */
#define POINT_CHAIN_NONE   (-2) /* nothing: the pad is unconnected */

/* The pads a step may have, in the order of `from`. */
#define POINT_CHAIN_PADS 3
extern const gchar *const point_chain_pads[POINT_CHAIN_PADS]; /* "input", "aux", "aux2" */

typedef struct
{
  GeglOperation *operation; /* a point filter, composer or composer3; its node stays
                               connected to its producers, whose formats it prepares from */
  gint           from[POINT_CHAIN_PADS];
  gboolean       passes_on;  /* its output is its input, as GEGL hands it on (gegl:opacity
                                at 1): not computed, nor converted */
} PointChainStep;

/* A chain node in `graph` computing `steps` (each from earlier ones or the
 * source; the last, which does not pass its input on, is the chain's
 * output). The steps are copied. */
GeglNode *point_chain_new (GeglNode *graph, const PointChainStep *steps, guint n_steps);

/* The chain's output converted to `format` as well (babl's fish from the last
 * step's format, as a blit of it in that format would), so that a blit in
 * `format` copies it. */
void      point_chain_set_result_format (GeglNode *chain, const Babl *format);

#endif
