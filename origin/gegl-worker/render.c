/* The "render" command, whole: the pixel files it reads and writes, then
 * parse (render-parse.c) → build (render-build.c) → the images besides the
 * input (render-images.c) → execute (render-execute.c) → reply
 * (render-reply.c). */
#include "render.h"
#include "pixel-file.h"
#include "render-graph.h"

/* The request's "files" member names: "input", the pixel file holding the
 * input (instead of a payload); "output", the one to write the result to
 * (instead of the reply's payload). NULL for those not given; FALSE with a
 * reply when "files" is malformed. */
static gboolean
pixel_files (JsonObject *request, const gchar **input, const gchar **output, Reply **reply)
{
  const gchar *names[] = { "input", "output" };
  const gchar **paths[] = { input, output };
  JsonNode    *node = json_object_get_member (request, "files");
  JsonObject  *files;

  *input = *output = NULL;
  if (!node || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *reply = reply_error ("bad-request", "\"files\" must be an object.");
      return FALSE;
    }
  files = json_node_get_object (node);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *path = json_object_get_member (files, names[i]);

      if (!path || JSON_NODE_HOLDS_NULL (path))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (path) || json_node_get_value_type (path) != G_TYPE_STRING ||
          !g_path_is_absolute (json_node_get_string (path)))
        {
          *reply = reply_error ("bad-request", "\"files.%s\" must be an absolute path.", names[i]);
          return FALSE;
        }
      *paths[i] = json_node_get_string (path);
    }
  return TRUE;
}

/* Reads the input pixel file, when one is named, into the message's payload
 * (the images' pixels have left it already: render_feed_images). */
static gboolean
read_input_file (Graph *g, const gchar *input_file, ProtocolMessage *message)
{
  gchar *error = NULL;

  if (!input_file)
    return TRUE;
  g_clear_pointer (&message->payload, g_free);
  if (!pixel_file_read (input_file, &message->payload, &message->payload_len, &error))
    {
      render_fail (g, "bad-request", error);
      return FALSE;
    }
  return TRUE;
}

Reply *
render_command (JsonObject *request, ProtocolMessage *message)
{
  const gchar   *input_file, *output_file;
  Reply         *reply = NULL;
  Graph          g;
  RenderSpec     spec;
  RenderedPixels rendered;

  if (!pixel_files (request, &input_file, &output_file, &reply))
    return reply;

  render_graph_init (&g);
  if (render_parse (&g, request, message->payload_len, input_file != NULL, &spec) &&
      render_build (&g, request, &spec) &&
      render_feed_images (&g, &spec, &message->payload, &message->payload_len) &&
      read_input_file (&g, input_file, message) &&
      render_execute (&g, &spec, &message->payload, &rendered))
    reply = render_reply (&rendered, output_file);
  else
    reply = render_error_reply (&g);
  render_graph_clear (&g);
  return reply;
}
