/* Diagnostics for imgflo-gegl-worker.
 *
 * Everything GLib/GEGL logs goes to stderr (never stdout, which carries the
 * protocol). While a request is being handled, warnings and criticals are
 * also counted so that the request handler can tell whether a GEGL call
 * "failed" (GEGL reports several failures, e.g. unparsable colours, only
 * through g_warning).
 */
#ifndef IMGFLO_DIAG_H
#define IMGFLO_DIAG_H

#include <glib.h>

/* Installs the GLib log writer. Call once, first thing in main(). */
void diag_init (void);

/* Starts counting warnings (from zero). */
void diag_begin (void);

/* Number of warnings/criticals since diag_begin(). */
guint diag_count (void);

/* printf-style line to stderr, prefixed with the program name and pid. */
void diag_log (const gchar *format, ...) G_GNUC_PRINTF (1, 2);

#endif
