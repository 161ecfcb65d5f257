#include "lib/jittered-grid.h"
#include "lib/hash64.h"

static inline guint64
cell_id (gint64 i,
         gint64 j)
{
  return ((guint64) (guint32) i << 32) | (guint64) (guint32) j;
}

guint64
jittered_grid_seed (const gchar *text)
{
  const guchar *c;
  guint64       number = 0;
  guint64       hash   = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  gboolean      numeric;

  if (!text)
    text = "";
  numeric = text[0] != '\0' && (text[0] != '0' || text[1] == '\0');
  for (c = (const guchar *) text; *c; c++)
    {
      hash = (hash ^ *c) * G_GUINT64_CONSTANT (0x100000001b3);
      if (numeric && *c >= '0' && *c <= '9' && number <= G_MAXINT)
        number = number * 10 + (*c - '0');
      else
        numeric = FALSE;
    }
  if (numeric && number <= G_MAXINT)
    return number;
  return hash | G_GUINT64_CONSTANT (0x8000000000000000);
}

void
jittered_grid_point (guint64 seed,
                     gdouble cell,
                     gint64  i,
                     gint64  j,
                     Point  *p)
{
  guint64 h = mix64 (mix64 (mix64 (seed) ^
                            (guint64) (guint32) i) ^
                     (guint64) (guint32) j);

  p->x  = ((gdouble) i + 0.05 + 0.9 * unit_double (h)) * cell;
  p->y  = ((gdouble) j + 0.05 + 0.9 * unit_double (mix64 (h))) * cell;
  p->id = cell_id (i, j);
}
