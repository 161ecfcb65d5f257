/* The start-up warm-up render (IMGFLO_WORKER_WARMUP=0 skips it). */
#ifndef IMGFLO_WARM_UP_H
#define IMGFLO_WARM_UP_H

void warm_up (void);

#endif
