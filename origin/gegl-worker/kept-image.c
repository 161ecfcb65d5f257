#include "kept-image.h"
#include "../gegl-ops/lib/large-buffer.h"

static GMutex   lock;
static gfloat  *kept;
static gsize    kept_bytes;
static gboolean taken;

gfloat *
kept_image_take (gsize bytes)
{
  gfloat *image;

  g_mutex_lock (&lock);
  if (taken)
    {
      g_mutex_unlock (&lock);
      return large_buffer_try_new (bytes);
    }
  if (bytes > kept_bytes)
    {
      g_free (kept);
      kept = large_buffer_try_new (bytes);
      kept_bytes = kept ? bytes : 0;
    }
  image = kept;
  taken = image != NULL;
  g_mutex_unlock (&lock);
  return image;
}

void
kept_image_give_back (gfloat *image)
{
  g_mutex_lock (&lock);
  if (image == kept && image != NULL)
    taken = FALSE;
  else
    g_free (image);
  g_mutex_unlock (&lock);
}

void
kept_image_release (void)
{
  g_mutex_lock (&lock);
  if (!taken)
    {
      g_clear_pointer (&kept, g_free);
      kept_bytes = 0;
    }
  g_mutex_unlock (&lock);
}
