/* Pixel files: a render's input and result passed as files (in a tmpfs,
 * named by the origin) instead of over the pipes, in libvips' .v layout so
 * that the origin's sharp writes and reads them without holding the pixels
 * itself. The layout: a 64-byte header (magic b6 a6 f2 08, then
 * little-endian int32 width, height, bands, bits per band, band format,
 * coding, interpretation, float32 x and y resolution, ...), the pixels
 * row by row, then (when libvips wrote the file) an XML block, not read
 * here. Input files must have 4 bands of 8 bits, uncoded: 8-bit sRGB RGBA,
 * the same as a payload; results are written with 3 or 4. */
#ifndef IMGFLO_PIXEL_FILE_H
#define IMGFLO_PIXEL_FILE_H

#include <glib.h>

/* Reads the pixels of the .v file at path into *pixels (g_malloc'd,
 * width*height*4 bytes, *len set). FALSE with *error (g_free) otherwise. */
gboolean pixel_file_read  (const gchar *path,
                           guint8     **pixels,
                           gsize       *len,
                           gchar      **error);

/* Writes width*height pixels of 3 (RGB) or 4 (RGBA) bytes to path as a .v
 * file (created, or truncated). On failure the file is removed and FALSE
 * returned with *error (g_free). */
gboolean pixel_file_write (const gchar  *path,
                           const guint8 *pixels,
                           gint          width,
                           gint          height,
                           gint          channels,
                           gchar       **error);

#endif
