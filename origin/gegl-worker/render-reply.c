/* The render command's reply: the pixels' size, channels and path, with the
 * pixels as the payload or in the output pixel file. */
#include "render-graph.h"
#include "diag.h"
#include "fast-conversions.h"
#include "pixel-file.h"

/* Drops the alpha of RGBA pixels that are all opaque, in place; returns the
 * channels left (3 or 4). Opaque results are the rule: a quarter fewer
 * bytes to move, and no alpha for the origin's encoder to remove. */
static gint
drop_opaque_alpha (guint8 *pixels, gsize *len)
{
  gsize pixel_count = *len / 4;

  for (gsize i = 3; i < *len; i += 4)
    if (pixels[i] != 255)
      return 4;
  /* Forwards, byte by byte: each pixel moves down over bytes already read. */
  for (gsize i = 0; i < pixel_count; i++)
    {
      pixels[i * 3 + 0] = pixels[i * 4 + 0];
      pixels[i * 3 + 1] = pixels[i * 4 + 1];
      pixels[i * 3 + 2] = pixels[i * 4 + 2];
    }
  *len = pixel_count * 3;
  return 3;
}

/* Only what the origin reads: the size of the pixels, their channels (3 when
 * opaque), the path that rendered them, the fast conversions that ran in it
 * (fast-conversions.h) and the project operations that did (for tests of
 * operation swaps), and "file" when they are in the
 * output file. GEGL's warnings go to stderr (the origin's log); the origin
 * times the render itself. A result that cannot be written to its file (the
 * file system is full) comes back as the payload instead. */
Reply *
render_reply (RenderedPixels *rendered, const gchar *output_file)
{
  gint         channels = drop_opaque_alpha (rendered->pixels, &rendered->len);
  gboolean     in_file = FALSE;
  gchar       *error = NULL;
  JsonBuilder *b;
  Reply       *reply;

  if (output_file && rendered->len > 0)
    {
      in_file = pixel_file_write (output_file, rendered->pixels, rendered->box.width,
                                  rendered->box.height, channels, &error);
      if (!in_file)
        {
          diag_log ("%s Sending the result as the payload.", error);
          g_free (error);
        }
    }
  if (in_file)
    g_clear_pointer (&rendered->pixels, g_free);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, rendered->box.width);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, rendered->box.height);
  json_builder_set_member_name (b, "channels");
  json_builder_add_int_value (b, channels);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, rendered->path);
  fast_conversions_describe (b);
  json_builder_set_member_name (b, "operations");
  json_builder_begin_array (b);
  for (guint i = 0; i < rendered->operations->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (rendered->operations, i));
  json_builder_end_array (b);
  g_clear_pointer (&rendered->operations, g_ptr_array_unref);
  if (in_file)
    {
      json_builder_set_member_name (b, "file");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_end_object (b);
  reply = reply_new (json_builder_get_root (b), rendered->pixels, in_file ? 0 : rendered->len);
  rendered->pixels = NULL;
  g_object_unref (b);
  return reply;
}

Reply *
render_error_reply (const Graph *g)
{
  return reply_error (g->error_kind ? g->error_kind : "internal", "%s",
                      g->error ? g->error : "Rendering failed for an unknown reason.");
}
