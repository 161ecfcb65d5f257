/* The "describe" command: which operations exist, with their pads and
 * properties. */
#ifndef IMGFLO_DESCRIBE_H
#define IMGFLO_DESCRIBE_H

#include "protocol.h"

/* request: the parsed header object. Never fails with a crash; returns an
 * error reply for malformed requests. */
Reply *describe_handle (JsonObject *request);

#endif
