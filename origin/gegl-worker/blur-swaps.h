/* Every gegl:gaussian-blur of a graph that image_blur_run computes, replaced
 * by an imgflo:whole-image-blur (whole-image-blur.h) wherever it stands.
 * IMGFLO_WORKER_DIRECT=0 turns this off, as it does the lone blur. */
#ifndef IMGFLO_BLUR_SWAPS_H
#define IMGFLO_BLUR_SWAPS_H

#include "render-graph.h"

/* Swaps g's blurs; `*target`, the node to be rendered, is replaced when it is one. */
void blur_swaps_apply (Graph *g, GeglNode **target);

#endif
