/* The render command's parts, in the order render.c runs them: the request
 * read from its JSON (render-parse.c), the GEGL graph built from it
 * (render-build.c), the graph run (render-execute.c) and the reply
 * (render-reply.c). */
#ifndef IMGFLO_RENDER_GRAPH_H
#define IMGFLO_RENDER_GRAPH_H

#include "protocol.h"

#include <gegl.h>
#include <json-glib/json-glib.h>

/* Images a request may have besides its input: the origin's image inports
 * (at most 4, contract §8), with room to spare. */
#define RENDER_MAX_IMAGES 8

/* An image besides the input: the pad it feeds, its size, and where its
 * 8-bit RGBA pixels are: a pixel file, or the payload, after the input's
 * and the images' before it. */
typedef struct
{
  const gchar *node;
  const gchar *pad;
  gint         width;
  gint         height;
  const gchar *file;          /* NULL: in the payload */
} ImageSpec;

/* What a render request asks for, read from its JSON; strings point into
 * the request. */
typedef struct
{
  const gchar  *input_node;   /* NULL when the request has no input image */
  const gchar  *input_pad;
  gint          input_width;
  gint          input_height;
  gint          input_x;      /* where the input's pixels stand: a region of a */
  gint          input_y;      /* larger image (input-region.ts) keeps its place */
  GeglRectangle input_extent; /* the whole image's, when its operations need it
                                 (a region read through a transform); else empty */
  const gchar  *output_node;
  const gchar  *output_pad;
  gboolean      sized;        /* an explicit output rectangle: `size` */
  GeglRectangle size;
  gint64        max_pixels;   /* the origin's MAX_PIXELS */
  gint          threads;      /* GEGL threads for this render; 0: unchanged */
  ImageSpec     images[RENDER_MAX_IMAGES];
  guint         n_images;
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
  GPtrArray    *operations; /* the project operations that rendered (names borrowed
                               from the graph's nodes), sorted */
} RenderedPixels;

/* render-parse.c: JSON members, each failure recorded in the graph's error. */
void      render_fail        (Graph *g, const gchar *kind, gchar *message);
JsonNode *render_member      (JsonObject *obj, const gchar *name);
gboolean  render_get_string  (Graph *g, JsonObject *obj, const gchar *where,
                              const gchar *name, const gchar *fallback, const gchar **out);
gboolean  render_get_offset       (Graph *g, JsonObject *obj, const gchar *where,
                                   const gchar *name, gint *out);
gboolean  render_get_positive_int (Graph *g, JsonObject *obj, const gchar *where,
                                   const gchar *name, gint *out);
/* The payload holds the input's pixels unless `input_file`, then the images'. */
gboolean  render_parse       (Graph *g, JsonObject *request, gsize payload_len,
                              gboolean input_file, RenderSpec *spec);

/* render-build.c */
GraphNode  *render_lookup            (Graph *g, const gchar *id);
gboolean    render_has_input_pad     (GeglNode *node, const gchar *pad);
gboolean    render_has_output_pad    (GeglNode *node, const gchar *pad);
JsonObject *render_element_object    (Graph *g, JsonNode *item, const gchar *where);

/* render-links.c */
gboolean    render_build_links       (Graph *g, JsonObject *request);

void      render_graph_init  (Graph *g);
void      render_graph_clear (Graph *g);
gboolean  render_build       (Graph *g, JsonObject *request, const RenderSpec *spec);
/* The request node `id`, checked to have the input pad `pad`; NULL (and the
 * graph's error, naming `what`) when not. */
GraphNode *render_input_pad  (Graph *g, const gchar *id, const gchar *pad, const gchar *what);
/* render-input.c */
gboolean  render_feed_input  (Graph *g, const RenderSpec *spec, guint8 **payload);
/* Feeds RGBA pixels covering `rect` to target's pad through a buffer
 * source; takes over *pixels. */
gboolean  render_feed_pixels (Graph *g, GraphNode *target, const gchar *pad,
                              const GeglRectangle *rect, guint8 **pixels);

/* render-images.c: the images besides the input. */
gboolean  render_parse_images  (Graph *g, JsonObject *request, RenderSpec *spec);
guint64   render_payload_image_bytes (const RenderSpec *spec);
/* Feeds every image, from its pixel file or from the end of the payload,
 * which is then left with the input's pixels alone. */
gboolean  render_feed_images   (Graph *g, const RenderSpec *spec, guint8 **payload,
                                gsize *payload_len);

/* render-execute.c: takes over *payload. */
gboolean  render_execute     (Graph *g, const RenderSpec *spec, guint8 **payload,
                              RenderedPixels *out);

/* render-reply.c: takes over the pixels. */
Reply    *render_reply       (RenderedPixels *rendered, const gchar *output_file);
Reply    *render_error_reply (const Graph *g);

#endif
