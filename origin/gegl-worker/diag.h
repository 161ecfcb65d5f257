/* Diagnostics for imgflo-gegl-worker.
 *
 * Everything GLib/GEGL logs goes to stderr (never stdout, which carries the
 * protocol). While a request is being handled, warnings and criticals are
 * also recorded so that the request handler can tell whether a GEGL call
 * "failed" (GEGL reports several failures, e.g. unparsable colours, only
 * through g_warning) and can return them to the caller.
 */
#ifndef IMGFLO_DIAG_H
#define IMGFLO_DIAG_H

#include <glib.h>

/* Installs the GLib log writer. Call once, first thing in main(). */
void diag_init (void);

/* Starts recording warnings (clears what was recorded before). */
void diag_begin (void);

/* Number of warnings/criticals recorded since diag_begin(). */
guint diag_count (void);

/* Returns the recorded messages (at most a handful; the rest are counted but
 * dropped). The array is owned by diag; valid until the next diag_begin(). */
GPtrArray *diag_messages (void);

/* printf-style line to stderr, prefixed with the program name and pid. */
void diag_log (const gchar *format, ...) G_GNUC_PRINTF (1, 2);

#endif
