/* The graph's chains of point operations, each replaced by one
 * imgflo:point-chain (point-chain.h) wherever it stands in the graph.
 * IMGFLO_WORKER_POINT_CHAINS=0 turns this off (the tests compare both ways). */
#ifndef IMGFLO_POINT_CHAIN_FUSION_H
#define IMGFLO_POINT_CHAIN_FUSION_H

#include "render-graph.h"

/* Fuses every chain of g's nodes that one source feeds and one node's output
 * leaves. `*target`, the node to be rendered, is replaced by the chain when
 * it ends one; that chain then gives its pixels in `target_format` too. */
void point_chains_fuse (Graph *g, GeglNode **target, const Babl *target_format);

#endif
