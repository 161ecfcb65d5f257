/* Framing and replies of the imgflo-gegl-worker protocol.
 *
 * A message (both directions) is:
 *   u32 little-endian N, N bytes of UTF-8 JSON (the header),
 *   u32 little-endian M, M bytes of binary payload (M may be 0).
 */
#ifndef IMGFLO_PROTOCOL_H
#define IMGFLO_PROTOCOL_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* Largest header accepted (bytes). */
#define PROTOCOL_MAX_HEADER  (16u * 1024u * 1024u)
/* Default largest payload accepted (bytes); IMGFLO_WORKER_MAX_PAYLOAD_BYTES
 * overrides it. 1 GiB leaves room for 40 MP RGBA images (160 MB) and more. */
#define PROTOCOL_DEFAULT_MAX_PAYLOAD  (1024u * 1024u * 1024u)

typedef enum
{
  PROTOCOL_READ_OK,
  PROTOCOL_READ_EOF,    /* clean end of input at a message boundary */
  PROTOCOL_READ_ERROR   /* truncated or malformed frame; see error text */
} ProtocolReadStatus;

typedef struct
{
  gchar  *header;       /* NUL-terminated JSON text (g_free) */
  gsize   header_len;
  guint8 *payload;      /* g_malloc'd, NULL when payload_len == 0 */
  gsize   payload_len;
} ProtocolMessage;

/* A reply to send: a JSON object and an optional payload. */
typedef struct
{
  JsonNode *header;     /* owned */
  guint8   *payload;    /* owned (g_free), may be NULL */
  gsize     payload_len;
} Reply;

void               protocol_init          (void);

/* Reads exactly len bytes (retrying short reads). Returns len on success,
 * the number of bytes read before end of file otherwise, or -1 on a read
 * error. */
gssize             protocol_read_full     (int    fd,
                                           void  *buf,
                                           gsize  len);
/* Writes all len bytes; FALSE on a write error (errno set). */
gboolean           protocol_write_full    (int         fd,
                                           const void *buf,
                                           gsize       len);

ProtocolReadStatus protocol_read_message  (int              fd,
                                           ProtocolMessage *message,
                                           gchar          **error);
void               protocol_message_clear (ProtocolMessage *message);

/* Sends and frees the reply. Returns FALSE when writing failed (the peer is
 * gone); the caller should then exit. */
gboolean           protocol_send_reply    (int    fd,
                                           Reply *reply);

/* Builders for replies. */
Reply *reply_new        (JsonNode *header, guint8 *payload, gsize payload_len);
Reply *reply_ok         (void);
Reply *reply_error      (const gchar *kind,
                         const gchar *format,
                         ...) G_GNUC_PRINTF (2, 3);
void   reply_free       (Reply *reply);

#endif
