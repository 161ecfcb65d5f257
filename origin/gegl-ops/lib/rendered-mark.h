/* The mark a project operation leaves on itself when it renders, which the
 * worker reads back after a render (render-execute.c), so that its reply
 * can say which project operations rendered and a test of an operation swap
 * can tell that the project's operation ran, not GEGL's. */
#ifndef IMGFLO_RENDERED_MARK_H
#define IMGFLO_RENDERED_MARK_H

#include <gegl.h>

#define RENDERED_MARK_KEY "imgflo-rendered"

/* Called by the operation's process (from any of GEGL's threads: GObject
 * data is locked). */
static inline void
rendered_mark (GeglOperation *operation)
{
  g_object_set_data (G_OBJECT (operation), RENDERED_MARK_KEY, GINT_TO_POINTER (1));
}

#endif
