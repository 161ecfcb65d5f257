#include "protocol.h"
#include "diag.h"
#include "../gegl-ops/lib/large-buffer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static gsize max_payload = PROTOCOL_DEFAULT_MAX_PAYLOAD;

void
protocol_init (void)
{
  const gchar *env = g_getenv ("IMGFLO_WORKER_MAX_PAYLOAD_BYTES");

  if (env && *env)
    {
      gchar   *end = NULL;
      guint64  value = g_ascii_strtoull (env, &end, 10);

      if (end && *end == '\0' && value > 0 && value <= G_MAXUINT32)
        max_payload = (gsize) value;
      else
        diag_log ("ignoring invalid IMGFLO_WORKER_MAX_PAYLOAD_BYTES=%s", env);
    }
}

gssize
protocol_read_full (int fd, void *buf, gsize len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = read (fd, (guint8 *) buf + done, len - done);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -1;
        }
      if (n == 0)
        break;
      done += (gsize) n;
    }
  return (gssize) done;
}

gboolean
protocol_write_full (int fd, const void *buf, gsize len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = write (fd, (const guint8 *) buf + done, len - done);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

static guint32
decode_u32le (const guint8 b[4])
{
  return (guint32) b[0] | ((guint32) b[1] << 8) |
         ((guint32) b[2] << 16) | ((guint32) b[3] << 24);
}

static void
encode_u32le (guint8 b[4], guint32 v)
{
  b[0] = v & 0xff;
  b[1] = (v >> 8) & 0xff;
  b[2] = (v >> 16) & 0xff;
  b[3] = (v >> 24) & 0xff;
}

/* The header length and the header. */
static ProtocolReadStatus
read_header (int fd, ProtocolMessage *message, gchar **error)
{
  guint8  len_bytes[4];
  gssize  n;
  guint32 header_len;

  n = protocol_read_full (fd, len_bytes, 4);
  if (n == 0)
    return PROTOCOL_READ_EOF;
  if (n < 0)
    {
      *error = g_strdup_printf ("read error on the request stream: %s", g_strerror (errno));
      return PROTOCOL_READ_ERROR;
    }
  if (n < 4)
    {
      *error = g_strdup ("truncated frame: end of input inside the header length");
      return PROTOCOL_READ_ERROR;
    }

  header_len = decode_u32le (len_bytes);
  if (header_len == 0 || header_len > PROTOCOL_MAX_HEADER)
    {
      *error = g_strdup_printf ("malformed frame: header length %u is not within 1..%u",
                                header_len, PROTOCOL_MAX_HEADER);
      return PROTOCOL_READ_ERROR;
    }

  message->header = g_try_malloc ((gsize) header_len + 1);
  if (!message->header)
    {
      *error = g_strdup_printf ("out of memory reading a %u-byte header", header_len);
      return PROTOCOL_READ_ERROR;
    }
  n = protocol_read_full (fd, message->header, header_len);
  if (n != (gssize) header_len)
    {
      *error = g_strdup ("truncated frame: end of input inside the header");
      return PROTOCOL_READ_ERROR;
    }
  message->header[header_len] = '\0';
  message->header_len = header_len;
  return PROTOCOL_READ_OK;
}

/* The payload length and the payload. */
static gboolean
read_payload (int fd, ProtocolMessage *message, gchar **error)
{
  guint8  len_bytes[4];
  guint32 payload_len;

  if (protocol_read_full (fd, len_bytes, 4) != 4)
    {
      *error = g_strdup ("truncated frame: end of input inside the payload length");
      return FALSE;
    }
  payload_len = decode_u32le (len_bytes);
  if (payload_len > max_payload)
    {
      *error = g_strdup_printf ("malformed frame: payload length %u exceeds the limit of %" G_GSIZE_FORMAT " bytes",
                                payload_len, max_payload);
      return FALSE;
    }
  if (payload_len == 0)
    return TRUE;

  message->payload = large_buffer_try_new (payload_len);
  if (!message->payload)
    {
      *error = g_strdup_printf ("out of memory reading a %u-byte payload", payload_len);
      return FALSE;
    }
  if (protocol_read_full (fd, message->payload, payload_len) != (gssize) payload_len)
    {
      *error = g_strdup ("truncated frame: end of input inside the payload");
      return FALSE;
    }
  message->payload_len = payload_len;
  return TRUE;
}

ProtocolReadStatus
protocol_read_message (int fd, ProtocolMessage *message, gchar **error)
{
  ProtocolReadStatus status;

  memset (message, 0, sizeof *message);
  status = read_header (fd, message, error);
  if (status == PROTOCOL_READ_OK && !read_payload (fd, message, error))
    status = PROTOCOL_READ_ERROR;
  if (status == PROTOCOL_READ_ERROR)
    protocol_message_clear (message);
  return status;
}

void
protocol_message_clear (ProtocolMessage *message)
{
  g_clear_pointer (&message->header, g_free);
  g_clear_pointer (&message->payload, g_free);
  message->header_len = 0;
  message->payload_len = 0;
}

gboolean
protocol_send_reply (int fd, Reply *reply)
{
  JsonGenerator *generator;
  gchar         *text;
  gsize          text_len = 0;
  guint8         header_len[4];
  guint8         payload_len[4];
  gboolean       ok;

  generator = json_generator_new ();
  json_generator_set_root (generator, reply->header);
  text = json_generator_to_data (generator, &text_len);
  g_object_unref (generator);

  if (text_len > G_MAXUINT32 || reply->payload_len > G_MAXUINT32)
    {
      /* Cannot be framed; replace by an error reply (small, always fits). */
      diag_log ("reply too large to frame (%" G_GSIZE_FORMAT " + %" G_GSIZE_FORMAT " bytes)",
                text_len, reply->payload_len);
      g_free (text);
      reply_free (reply);
      return protocol_send_reply (fd, reply_error ("too-large", "The result is too large to send."));
    }

  encode_u32le (header_len, (guint32) text_len);
  encode_u32le (payload_len, (guint32) reply->payload_len);

  /* Small parts in one go; the payload (possibly large) in its own writes. */
  {
    struct iovec iov[3] = {
      { header_len, 4 },
      { text, text_len },
      { payload_len, 4 },
    };
    gsize total = 8 + text_len;
    ssize_t n;

    do
      n = writev (fd, iov, 3);
    while (n < 0 && errno == EINTR);

    if (n < 0)
      ok = FALSE;
    else if ((gsize) n == total)
      ok = TRUE;
    else
      {
        /* Partial write: finish the rest piece by piece. */
        gsize done = (gsize) n;
        ok = TRUE;
        for (int i = 0; i < 3 && ok; i++)
          {
            if (done >= iov[i].iov_len)
              {
                done -= iov[i].iov_len;
                continue;
              }
            ok = protocol_write_full (fd, (guint8 *) iov[i].iov_base + done, iov[i].iov_len - done);
            done = 0;
          }
      }
  }
  if (ok && reply->payload_len > 0)
    ok = protocol_write_full (fd, reply->payload, reply->payload_len);

  if (!ok)
    diag_log ("cannot write reply: %s", g_strerror (errno));

  g_free (text);
  reply_free (reply);
  return ok;
}

Reply *
reply_new (JsonNode *header, guint8 *payload, gsize payload_len)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->header = header;
  reply->payload = payload;
  reply->payload_len = payload ? payload_len : 0;
  return reply;
}

Reply *
reply_ok (void)
{
  JsonBuilder *builder = json_builder_new ();
  JsonNode    *root;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  g_object_unref (builder);
  return reply_new (root, NULL, 0);
}

Reply *
reply_error (const gchar *kind, const gchar *format, ...)
{
  JsonBuilder *builder = json_builder_new ();
  JsonNode    *root;
  va_list      args;
  gchar       *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  /* JSON needs valid UTF-8; user-supplied names could contain anything. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      gchar *fixed = g_utf8_make_valid (text, -1);
      g_free (text);
      text = fixed;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  g_object_unref (builder);
  g_free (text);
  return reply_new (root, NULL, 0);
}

void
reply_free (Reply *reply)
{
  if (!reply)
    return;
  if (reply->header)
    json_node_unref (reply->header);
  g_free (reply->payload);
  g_free (reply);
}
