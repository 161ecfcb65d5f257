#include "pixel-file.h"
#include "../gegl-ops/lib/large-buffer.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define HEADER_BYTES 64
/* libvips: VIPS_MAGIC_INTEL, as the bytes it writes first. */
static const guint8 MAGIC[4] = { 0xb6, 0xa6, 0xf2, 0x08 };
#define BAND_FORMAT_UCHAR 0
#define CODING_NONE 0
#define INTERPRETATION_SRGB 22
/* What libvips gives raw pixels in memory: 1 pixel per mm. */
#define RESOLUTION 1.0f

static gint32
get_i32 (const guint8 *b)
{
  return (gint32) ((guint32) b[0] | ((guint32) b[1] << 8) | ((guint32) b[2] << 16) |
                   ((guint32) b[3] << 24));
}

static void
put_u32 (guint8 *b, guint32 v)
{
  b[0] = v & 0xff;
  b[1] = (v >> 8) & 0xff;
  b[2] = (v >> 16) & 0xff;
  b[3] = (v >> 24) & 0xff;
}

gboolean
pixel_file_read (const gchar *path, guint8 **pixels, gsize *len, gchar **error)
{
  guint8  header[HEADER_BYTES];
  gint32  width, height;
  guint64 size;
  int     fd = open (path, O_RDONLY | O_CLOEXEC);

  *pixels = NULL;
  *len = 0;
  if (fd < 0)
    {
      *error = g_strdup_printf ("Cannot open the input file %s: %s.", path, g_strerror (errno));
      return FALSE;
    }
  if (protocol_read_full (fd, header, HEADER_BYTES) != HEADER_BYTES ||
      memcmp (header, MAGIC, sizeof MAGIC) != 0)
    {
      *error = g_strdup_printf ("The input file %s is not a libvips .v file.", path);
      close (fd);
      return FALSE;
    }
  width = get_i32 (header + 4);
  height = get_i32 (header + 8);
  if (width <= 0 || height <= 0 || get_i32 (header + 12) != 4 ||
      get_i32 (header + 20) != BAND_FORMAT_UCHAR || get_i32 (header + 24) != CODING_NONE)
    {
      *error = g_strdup_printf ("The input file %s does not hold %s.", path,
                                "a non-empty image of 4 uncoded 8-bit bands");
      close (fd);
      return FALSE;
    }
  size = (guint64) width * (guint64) height * 4;
  *pixels = size <= G_MAXSIZE ? large_buffer_try_new ((gsize) size) : NULL;
  if (!*pixels)
    {
      *error = g_strdup_printf ("Out of memory reading the %dx%d input file %s.", width, height, path);
      close (fd);
      return FALSE;
    }
  if (protocol_read_full (fd, *pixels, (gsize) size) != (gssize) size)
    {
      *error = g_strdup_printf ("The input file %s is shorter than its %dx%d pixels.", path, width, height);
      g_clear_pointer (pixels, g_free);
      close (fd);
      return FALSE;
    }
  close (fd);
  *len = (gsize) size;
  return TRUE;
}

gboolean
pixel_file_write (const gchar *path, const guint8 *pixels, gint width, gint height,
                  gint channels, gchar **error)
{
  guint8   header[HEADER_BYTES] = { 0 };
  guint32  resolution;
  gboolean ok;
  int      fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      *error = g_strdup_printf ("Cannot create the output file %s: %s.", path, g_strerror (errno));
      return FALSE;
    }
  memcpy (header, MAGIC, sizeof MAGIC);
  put_u32 (header + 4, (guint32) width);
  put_u32 (header + 8, (guint32) height);
  put_u32 (header + 12, (guint32) channels);
  put_u32 (header + 16, 8);
  put_u32 (header + 20, BAND_FORMAT_UCHAR);
  put_u32 (header + 24, CODING_NONE);
  put_u32 (header + 28, INTERPRETATION_SRGB);
  {
    gfloat value = RESOLUTION;
    memcpy (&resolution, &value, sizeof resolution);
  }
  put_u32 (header + 32, resolution);
  put_u32 (header + 36, resolution);

  ok = protocol_write_full (fd, header, HEADER_BYTES) &&
       protocol_write_full (fd, pixels, (gsize) width * (gsize) height * (gsize) channels);
  if (!ok)
    *error = g_strdup_printf ("Cannot write the output file %s: %s.", path, g_strerror (errno));
  if (close (fd) != 0 && ok)
    {
      *error = g_strdup_printf ("Cannot write the output file %s: %s.", path, g_strerror (errno));
      ok = FALSE;
    }
  if (!ok)
    unlink (path);
  return ok;
}
