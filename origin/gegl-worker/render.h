/* The "render" command: build a GEGL graph from the request, feed it the
 * input image (if any) and return the output pixels. */
#ifndef IMGFLO_RENDER_H
#define IMGFLO_RENDER_H

#include "protocol.h"

/* request: the parsed header object. The message's payload (or the input
 * pixel file it names) is the input image; the command takes it over and
 * sets message->payload to NULL. */
Reply *render_command (JsonObject      *request,
                       ProtocolMessage *message);

#endif
