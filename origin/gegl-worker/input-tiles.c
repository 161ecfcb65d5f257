/* The input image's lazily widened tiles (input-tiles.h): a GEGL tile
 * backend that makes a level-0 tile from the wire pixels the first time
 * GEGL asks for it, and keeps the tiles GEGL stores (written ones). GEGL
 * calls it under the buffer's tile-storage lock, so it needs none. */
#include "input-tiles.h"
#include "wire-pixels.h"

#include <gegl-buffer-backend.h>
#include <string.h>

typedef struct
{
  GeglTileBackend parent_instance;
  guint8         *pixels;   /* wire pixels of `rect`, row by row */
  GeglRectangle   rect;
  gint            tile_width;
  gint            tile_height;
  gint            bpp;      /* bytes per pixel of the input format */
  GHashTable     *stored;   /* tile_key (x, y) -> GeglTile */
} InputTiles;

typedef struct
{
  GeglTileBackendClass parent_class;
} InputTilesClass;

G_DEFINE_TYPE (InputTiles, input_tiles, GEGL_TYPE_TILE_BACKEND)

/* The stored tiles' key: x and y packed in a guint64. */
static inline guint64
tile_key (gint x, gint y)
{
  return ((guint64) (guint32) x << 32) | (guint32) y;
}

/* The pixels tile (x, y) covers in the buffer's coordinates. */
static inline GeglRectangle
tile_rect (const InputTiles *self, gint x, gint y)
{
  return (GeglRectangle) { x * self->tile_width, y * self->tile_height, self->tile_width,
                           self->tile_height };
}

/* The tile at (x, y) widened from the pixels; NULL when it misses the
 * image (GEGL then reads it as empty). */
static GeglTile *
make_tile (InputTiles *self, gint x, gint y)
{
  GeglRectangle covered = tile_rect (self, x, y);
  GeglRectangle inside;
  GeglTile     *tile;
  guint8       *data;
  gsize         row_bytes = (gsize) self->tile_width * self->bpp;

  if (!gegl_rectangle_intersect (&inside, &covered, &self->rect))
    return NULL;
  tile = gegl_tile_new (self->tile_width * self->tile_height * self->bpp);
  data = gegl_tile_get_data (tile);
  if (!gegl_rectangle_equal (&inside, &covered))
    memset (data, 0, row_bytes * self->tile_height);
  for (gint row = inside.y; row < inside.y + inside.height; row++)
    {
      const guint8 *src = self->pixels + (((gsize) (row - self->rect.y) * self->rect.width) +
                                          (gsize) (inside.x - self->rect.x)) * 4;
      guint8       *dst = data + (gsize) (row - covered.y) * row_bytes +
                    (gsize) (inside.x - covered.x) * self->bpp;

      wire_to_input (src, dst, (gsize) inside.width);
    }
  gegl_tile_mark_as_stored (tile);
  return tile;
}

static GeglTile *
get_tile (InputTiles *self, gint x, gint y)
{
  guint64   key = tile_key (x, y);
  GeglTile *stored = g_hash_table_lookup (self->stored, &key);

  return stored ? gegl_tile_ref (stored) : make_tile (self, x, y);
}

/* A tile GEGL wrote: kept in place of the one the pixels would make. It is
 * duplicated (sharing its data until either is written), as GEGL's own RAM
 * backend does for a tile handed over by its last unref. */
static void
set_tile (InputTiles *self, GeglTile *tile, gint x, gint y)
{
  GeglTile *kept = gegl_tile_dup (tile);
  guint64  *key = g_new (guint64, 1);

  *key = tile_key (x, y);
  gegl_tile_mark_as_stored (kept);
  g_hash_table_replace (self->stored, key, kept);
}

static gboolean
tile_exists (InputTiles *self, gint x, gint y)
{
  GeglRectangle covered = tile_rect (self, x, y);
  guint64       key = tile_key (x, y);

  return g_hash_table_contains (self->stored, &key) ||
         gegl_rectangle_intersect (NULL, &covered, &self->rect);
}

static gpointer
input_tiles_command (GeglTileSource *source, GeglTileCommand command, gint x, gint y, gint z,
                     gpointer data)
{
  InputTiles *self = (InputTiles *) source;

  /* Other levels are GEGL's to make from level 0. */
  if (z != 0 && (command == GEGL_TILE_GET || command == GEGL_TILE_SET ||
                 command == GEGL_TILE_EXIST || command == GEGL_TILE_VOID))
    return NULL;
  switch (command)
    {
    case GEGL_TILE_GET:
      return get_tile (self, x, y);
    case GEGL_TILE_SET:
      set_tile (self, data, x, y);
      return NULL;
    case GEGL_TILE_EXIST:
      return GINT_TO_POINTER (tile_exists (self, x, y));
    case GEGL_TILE_VOID:
      {
        guint64 key = tile_key (x, y);
        g_hash_table_remove (self->stored, &key);
        return NULL;
      }
    case GEGL_TILE_IDLE:
      return NULL;
    default:
      return gegl_tile_backend_command (GEGL_TILE_BACKEND (source), command, x, y, z, data);
    }
}

static void
input_tiles_finalize (GObject *object)
{
  InputTiles *self = (InputTiles *) object;

  g_hash_table_destroy (self->stored);
  g_free (self->pixels);
  G_OBJECT_CLASS (input_tiles_parent_class)->finalize (object);
}

static void
input_tiles_class_init (InputTilesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = input_tiles_finalize;
}

static void
input_tiles_init (InputTiles *self)
{
  GEGL_TILE_SOURCE (self)->command = input_tiles_command;
  self->stored = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                        (GDestroyNotify) gegl_tile_unref);
}

GeglBuffer *
input_tiles_buffer_new (const GeglRectangle *rect, guint8 *pixels)
{
  const Babl *format = wire_input_format ();
  gint        tile_width = 128, tile_height = 128;
  InputTiles *self;
  GeglBuffer *buffer;

  g_object_get (gegl_config (), "tile-width", &tile_width, "tile-height", &tile_height, NULL);
  self = g_object_new (input_tiles_get_type (), "tile-width", tile_width, "tile-height",
                       tile_height, "format", format, NULL);
  self->pixels = pixels;
  self->rect = *rect;
  self->tile_width = tile_width;
  self->tile_height = tile_height;
  self->bpp = babl_format_get_bytes_per_pixel (format);
  gegl_tile_backend_set_extent (GEGL_TILE_BACKEND (self), rect);
  buffer = gegl_buffer_new_for_backend (rect, GEGL_TILE_BACKEND (self));
  g_object_unref (self);
  return buffer;
}
