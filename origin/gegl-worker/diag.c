#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static GMutex diag_mutex;
static guint  diag_recorded_count;

static GLogWriterOutput
diag_writer (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  (void) user_data;

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_mutex_lock (&diag_mutex);
      diag_recorded_count++;
      g_mutex_unlock (&diag_mutex);
    }

  /* The default writer sends everything to stderr here: fd 1 has been
   * pointed at stderr by main(), so even its "stdout" messages are safe. */
  return g_log_writer_default (level, fields, n_fields, user_data);
}

void
diag_init (void)
{
  g_log_set_writer_func (diag_writer, NULL, NULL);
}

void
diag_begin (void)
{
  g_mutex_lock (&diag_mutex);
  diag_recorded_count = 0;
  g_mutex_unlock (&diag_mutex);
}

guint
diag_count (void)
{
  guint count;

  g_mutex_lock (&diag_mutex);
  count = diag_recorded_count;
  g_mutex_unlock (&diag_mutex);
  return count;
}

void
diag_log (const gchar *format, ...)
{
  va_list  args;
  gchar   *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "imgflo-gegl-worker[%d]: %s\n", (int) getpid (), text);
  fflush (stderr);
  g_free (text);
}
