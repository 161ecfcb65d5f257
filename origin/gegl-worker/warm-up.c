#include "warm-up.h"
#include "diag.h"
#include "render.h"

#include <string.h>

/* The first render in a process pays one-off costs in babl (finding
 * conversion paths) and GEGL (operation class set-up): ~90 ms for a trivial
 * graph, against ~4 ms afterwards. Pay them at start-up instead, with a
 * small graph using the common formats and operations. */
void
warm_up (void)
{
  static const gchar graph[] =
    "{\"cmd\":\"render\","
    " \"nodes\":[{\"id\":\"blur\",\"op\":\"gegl:gaussian-blur\",\"props\":{\"std-dev-x\":\"1\",\"std-dev-y\":\"1\"}},"
    "          {\"id\":\"bg\",\"op\":\"gegl:color\",\"props\":{\"value\":\"#808080\"}},"
    "          {\"id\":\"over\",\"op\":\"gegl:over\"}],"
    " \"links\":[{\"from\":\"bg\",\"to\":\"over\"},{\"from\":\"blur\",\"to\":\"over\",\"to_pad\":\"aux\"}],"
    " \"input\":{\"node\":\"blur\",\"pad\":\"input\",\"width\":64,\"height\":64},"
    " \"output\":{\"node\":\"over\",\"pad\":\"output\"},"
    " \"size\":{\"width\":64,\"height\":64},"
    " \"max_pixels\":4096}";
  const gchar *env = g_getenv ("IMGFLO_WORKER_WARMUP");
  JsonParser  *parser;
  gsize        len = 64 * 64 * 4;
  ProtocolMessage message = { 0 };
  Reply       *reply;
  gint64       t0 = g_get_monotonic_time ();

  if (env && strcmp (env, "0") == 0)
    return;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, graph, -1, NULL))
    {
      g_object_unref (parser);
      return;
    }
  message.payload = g_malloc (len);
  message.payload_len = len;
  for (gsize i = 0; i < len; i++)
    message.payload[i] = (guint8) (i * 7);

  diag_begin ();
  reply = render_command (json_node_get_object (json_parser_get_root (parser)), &message);
  if (!json_object_get_boolean_member (json_node_get_object (reply->header), "ok"))
    diag_log ("warm-up render failed: %s",
              json_object_get_string_member (json_node_get_object (reply->header), "error"));
  reply_free (reply);
  g_free (message.payload);
  g_object_unref (parser);
  diag_log ("warm-up took %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
}
