/* The render command's parts, in the order render.c runs them: the request
 * read from its JSON (render-parse.c), the GEGL graph built from it
 * (render-build.c), the graph run (render-execute.c) and the reply
 * (render-reply.c). */
#ifndef IMGFLO_RENDER_GRAPH_H
#define IMGFLO_RENDER_GRAPH_H

#include "protocol.h"

#include <gegl.h>
#include <json-glib/json-glib.h>

/* What a render request asks for, read from its JSON; strings point into
 * the request. */
typedef struct
{
  const gchar  *input_node;   /* NULL when the request has no input image */
  const gchar  *input_pad;
  gint          input_width;
  gint          input_height;
  const gchar  *output_node;
  const gchar  *output_pad;
  gboolean      sized;        /* an explicit output rectangle: `size` */
  GeglRectangle size;
  gint64        max_pixels;   /* the origin's MAX_PIXELS */
  gint          threads;      /* GEGL threads for this render; 0: unchanged */
} RenderSpec;

typedef struct
{
  const gchar *id;    /* points into the request JSON */
  const gchar *op;
  GeglNode    *node;
} GraphNode;

typedef struct
{
  GeglNode    *graph;      /* parent of every node; unref frees all */
  GArray      *nodes;      /* GraphNode */
  GHashTable  *by_id;      /* id -> index + 1 (GUINT_TO_POINTER) */
  GraphNode   *input;      /* the node the input image feeds; NULL without one */
  GraphNode   *output;     /* the node whose pad is rendered */
  gchar       *error;      /* first error, for the reply */
  const gchar *error_kind;
} Graph;

/* The rendered RGBA pixels and which path rendered them. */
typedef struct
{
  guint8       *pixels;
  gsize         len;
  GeglRectangle box;
  const gchar  *path;      /* "gegl" or "direct-blur" */
} RenderedPixels;

/* render-parse.c: JSON members, each failure recorded in the graph's error. */
void      render_fail        (Graph *g, const gchar *kind, gchar *message);
JsonNode *render_member      (JsonObject *obj, const gchar *name);
gboolean  render_get_string  (Graph *g, JsonObject *obj, const gchar *where,
                              const gchar *name, const gchar *fallback, const gchar **out);
gboolean  render_parse       (Graph *g, JsonObject *request, gsize payload_len,
                              RenderSpec *spec);

/* render-build.c */
void      render_graph_init  (Graph *g);
void      render_graph_clear (Graph *g);
gboolean  render_build       (Graph *g, JsonObject *request, const RenderSpec *spec);
gboolean  render_feed_input  (Graph *g, const RenderSpec *spec, guint8 **payload);

/* render-execute.c: takes over *payload. */
gboolean  render_execute     (Graph *g, const RenderSpec *spec, guint8 **payload,
                              RenderedPixels *out);

/* render-reply.c: takes over the pixels. */
Reply    *render_reply       (RenderedPixels *rendered, const gchar *output_file);
Reply    *render_error_reply (const Graph *g);

#endif
