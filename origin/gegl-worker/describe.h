/* The "describe" command: which operations exist, with their pads and
 * properties. */
#ifndef IMGFLO_DESCRIBE_H
#define IMGFLO_DESCRIBE_H

#include "protocol.h"

/* request: the parsed header object. Never fails with a crash; returns an
 * error reply for malformed requests. */
Reply *describe_handle (JsonObject *request);

/* The category of the operations the worker keeps to itself (imgflo:point-chain). */
#define DESCRIBE_WORKER_OWN_CATEGORY "imgflo-worker"

/* Whether a request may name the operation: GEGL has it, and it is not one the
 * worker keeps to itself. */
gboolean describe_operation_exists (const gchar *op);

#endif
