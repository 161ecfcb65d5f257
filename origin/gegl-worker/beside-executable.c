#include "beside-executable.h"

gchar *
beside_executable (const gchar *name)
{
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  gchar *dir, *path;

  if (!exe)
    return NULL;
  dir = g_path_get_dirname (exe);
  path = g_build_filename (dir, name, NULL);
  g_free (dir);
  g_free (exe);
  return path;
}
