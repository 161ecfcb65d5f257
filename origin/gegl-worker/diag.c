#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DIAG_MAX_MESSAGES 8

static GMutex     diag_mutex;
static GPtrArray *diag_recorded;
static guint      diag_recorded_count;

static const gchar *
field_string (const GLogField *fields, gsize n_fields, const gchar *key)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (strcmp (fields[i].key, key) == 0 && fields[i].value != NULL)
        {
          /* length < 0 means NUL-terminated string */
          if (fields[i].length < 0)
            return fields[i].value;
        }
    }
  return NULL;
}

static GLogWriterOutput
diag_writer (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  (void) user_data;

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      const gchar *message = field_string (fields, n_fields, "MESSAGE");
      const gchar *domain  = field_string (fields, n_fields, "GLIB_DOMAIN");

      g_mutex_lock (&diag_mutex);
      diag_recorded_count++;
      if (diag_recorded && diag_recorded->len < DIAG_MAX_MESSAGES)
        g_ptr_array_add (diag_recorded,
                         g_strdup_printf ("%s%s%s",
                                          domain ? domain : "",
                                          domain ? ": " : "",
                                          message ? message : "(no message)"));
      g_mutex_unlock (&diag_mutex);
    }

  /* The default writer sends everything to stderr here: fd 1 has been
   * pointed at stderr by main(), so even its "stdout" messages are safe. */
  return g_log_writer_default (level, fields, n_fields, user_data);
}

void
diag_init (void)
{
  diag_recorded = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (diag_writer, NULL, NULL);
}

void
diag_begin (void)
{
  g_mutex_lock (&diag_mutex);
  g_ptr_array_set_size (diag_recorded, 0);
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

GPtrArray *
diag_messages (void)
{
  return diag_recorded;
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
