/* The "render" command: build a GEGL graph from the request, feed it the
 * input image (if any) and return the output pixels. */
#ifndef IMGFLO_RENDER_H
#define IMGFLO_RENDER_H

#include "protocol.h"

/* request: the parsed header object. *payload (payload_len bytes, may be
 * NULL) is taken over by the function, which sets *payload to NULL. */
Reply *render_handle (JsonObject *request,
                      guint8    **payload,
                      gsize       payload_len);

#endif
