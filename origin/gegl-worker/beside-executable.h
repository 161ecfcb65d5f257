/* Paths of the files built next to the worker (build/native/...). */
#ifndef IMGFLO_BESIDE_EXECUTABLE_H
#define IMGFLO_BESIDE_EXECUTABLE_H

#include <glib.h>

/* <this executable's directory>/<name> (g_free it), or NULL when
 * /proc/self/exe cannot be read. */
gchar *beside_executable (const gchar *name);

#endif
