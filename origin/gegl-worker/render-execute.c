/* Runs a built graph: the direct blur (direct-blur.h) when the graph is one
 * it computes, else GEGL's blit of the output pad over the output
 * rectangle, after the worker's own operations take the blurs
 * (blur-swaps.h) and the point chains (point-chain-fusion.h) they compute,
 * within the origin's pixel limit. */
#include "render-graph.h"
#include "blur-swaps.h"
#include "direct-blur.h"
#include "image-blur.h"
#include "point-chain-fusion.h"
#include "../gegl-ops/lib/large-buffer.h"
#include "wire-pixels.h"
#include "../gegl-ops/lib/rendered-mark.h"

#include <string.h>

/* TRUE when the graph is one gegl:gaussian-blur between the input and the
 * output, rendered at the input's own extent, which direct-blur.c computes
 * without GEGL's buffers. IMGFLO_WORKER_DIRECT=0 turns this off (the tests
 * compare both ways). */
static gboolean
is_direct_blur (const Graph *g, const RenderSpec *spec)
{
  return image_blur_enabled () && g->nodes->len == 1 && g->input == g->output &&
         spec->input_x == 0 && spec->input_y == 0 &&
         gegl_rectangle_is_empty (&spec->input_extent) &&
         strcmp (spec->input_pad, "input") == 0 && strcmp (spec->output_pad, "output") == 0 &&
         strcmp (g->output->op, "gegl:gaussian-blur") == 0 &&
         (!spec->sized ||
          (spec->size.width == spec->input_width && spec->size.height == spec->input_height)) &&
         image_blur_applies (g->output->node);
}

/* The node gegl_node_blit renders: it renders the "output" pad, so other
 * pads are routed through a nop. */
static GeglNode *
blit_target (Graph *g, const RenderSpec *spec)
{
  GeglNode *target;

  if (strcmp (spec->output_pad, "output") == 0)
    return g->output->node;
  target = gegl_node_new_child (g->graph, "operation", "gegl:nop", NULL);
  gegl_node_connect_to (g->output->node, spec->output_pad, target, "input");
  return target;
}

/* The graph's own extent, refused when unbounded or empty. */
static gboolean
bounding_box (Graph *g, GeglNode *target, GeglRectangle *box)
{
  *box = gegl_node_get_bounding_box (target);
  if (gegl_rectangle_is_infinite_plane (box))
    {
      render_fail (g, "too-large",
                   g_strdup_printf ("The output of node '%s' (%s) is unbounded; give an explicit "
                                    "size or crop it.", g->output->id, g->output->op));
      return FALSE;
    }
  if (box->width <= 0 || box->height <= 0)
    {
      render_fail (g, "empty-output",
                   g_strdup_printf ("The output of node '%s' (%s) is empty (%dx%d).",
                                    g->output->id, g->output->op, MAX (box->width, 0),
                                    MAX (box->height, 0)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
within_limit (Graph *g, const GeglRectangle *box, gint64 max_pixels)
{
  gint64 pixels = (gint64) box->width * (gint64) box->height;

  if (pixels <= max_pixels)
    return TRUE;
  render_fail (g, "too-large",
               g_strdup_printf ("The output would be %dx%d = %" G_GINT64_FORMAT
                                " pixels, more than the limit of %" G_GINT64_FORMAT ".",
                                box->width, box->height, pixels, max_pixels));
  return FALSE;
}

/* GEGL's thread count, which its operations and the direct blur divide work
 * by, set for this render when the request names one. */
static void
use_threads (gint threads)
{
  GParamSpec *spec = g_object_class_find_property (G_OBJECT_GET_CLASS (gegl_config ()), "threads");
  gint        current = 0;

  if (threads <= 0)
    return;
  threads = MIN (threads, G_PARAM_SPEC_INT (spec)->maximum);
  g_object_get (gegl_config (), "threads", &current, NULL);
  if (current != threads)
    g_object_set (gegl_config (), "threads", threads, NULL);
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

/* The project operations whose process ran in this render, each once: they
 * mark their operation object when they render (gegl-ops/lib/rendered-mark.h),
 * so that a test of an operation swap or a point chain can tell that it
 * rendered. The graph's every node: the request's and those the worker adds. */
static GPtrArray *
marked_operations (const Graph *g)
{
  GPtrArray *operations = g_ptr_array_new ();
  GSList    *children = gegl_node_get_children (g->graph);

  for (GSList *child = children; child; child = child->next)
    {
      GeglOperation *operation = gegl_node_get_gegl_operation (child->data);
      const gchar   *name = gegl_node_get_operation (child->data);

      if (operation && g_object_get_data (G_OBJECT (operation), RENDERED_MARK_KEY) &&
          !g_ptr_array_find_with_equal_func (operations, name, g_str_equal, NULL))
        g_ptr_array_add (operations, (gpointer) name);
    }
  g_slist_free (children);
  g_ptr_array_sort (operations, by_name);
  return operations;
}

gboolean
render_execute (Graph *g, const RenderSpec *spec, guint8 **payload, RenderedPixels *out)
{
  GeglNode *target = NULL;

  *out = (RenderedPixels) { 0 };
  use_threads (spec->threads);
  if (is_direct_blur (g, spec))
    {
      /* The blur's output is clipped to its input: that is the rectangle. */
      out->box = (GeglRectangle) { 0, 0, spec->input_width, spec->input_height };
      out->path = "direct-blur";
    }
  else
    {
      if (!render_feed_input (g, spec, payload))
        return FALSE;
      target = blit_target (g, spec);
      blur_swaps_apply (g, &target);
      point_chains_fuse (g, &target, babl_format (WIRE_FORMAT));
      if (spec->sized)
        out->box = spec->size;
      else if (!bounding_box (g, target, &out->box))
        return FALSE;
      out->path = "gegl";
    }
  if (!within_limit (g, &out->box, spec->max_pixels))
    return FALSE;

  out->len = (gsize) out->box.width * (gsize) out->box.height * 4;
  if (target)
    {
      out->pixels = large_buffer_try_new (out->len);
      if (out->pixels)
        gegl_node_blit (target, 1.0, &out->box, babl_format (WIRE_FORMAT), out->pixels,
                        out->box.width * 4, GEGL_BLIT_DEFAULT);
    }
  else
    {
      if (direct_blur_render (g->output->node, *payload, spec->input_width, spec->input_height))
        out->pixels = g_steal_pointer (payload);
    }
  if (!out->pixels)
    {
      render_fail (g, "too-large",
                   g_strdup_printf ("Out of memory allocating a %dx%d output.", out->box.width,
                                    out->box.height));
      return FALSE;
    }
  out->operations = marked_operations (g);
  return TRUE;
}
