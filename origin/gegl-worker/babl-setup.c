#include "babl-setup.h"
#include "beside-executable.h"
#include "diag.h"
#include "fast-conversions.h"

#include <string.h>

/* build/native/babl/, next to the worker (scripts/build-native.sh). */
#define EXTENSION_DIR  "babl"
#define EXTENSION_FILE "imgflo-fast-conversions.so"

/* Points babl's fish cache (XDG_CACHE_HOME/babl/babl-fishes, which babl
 * reads as GEGL initialises it and writes at exit) at
 * <user cache dir>/imgflo-gegl-worker/<fast|babl>: the chains of
 * conversions measured by the workers with the same conversions, which all
 * of them then use; not those of other programs, or of workers without the
 * fast conversions, which would keep babl from trying them. (The user cache
 * dir: XDG_CACHE_HOME or ~/.cache, writable in the Docker image too.)
 * Returns the cache file's path. */
static gchar *
setup_babl_cache (void)
{
  gchar *cache_dir = g_build_filename (g_get_user_cache_dir (), "imgflo-gegl-worker",
                                       fast_conversions_enabled () ? "fast" : "babl", NULL);
  gchar *fishes = g_build_filename (cache_dir, "babl", "babl-fishes", NULL);

  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  diag_log ("babl fish cache: %s", fishes);
  g_free (cache_dir);
  return fishes;
}

/* Adds the extension's directory to babl's (BABL_PATH, else babl's own);
 * returns the name babl gives the extension, its path, or NULL when it is
 * not there. */
static gchar *
setup_extension_path (void)
{
  gchar       *dir = beside_executable (EXTENSION_DIR);
  gchar       *extension = dir ? g_build_filename (dir, EXTENSION_FILE, NULL) : NULL;
  const gchar *env = g_getenv ("BABL_PATH");
  gchar       *path;

  if (!extension || !g_file_test (extension, G_FILE_TEST_IS_REGULAR))
    {
      diag_log ("fast conversions: %s not found", extension ? extension : EXTENSION_FILE);
      g_free (dir);
      g_free (extension);
      return NULL;
    }
  path = g_strjoin (G_SEARCHPATH_SEPARATOR_S, env && *env ? env : IMGFLO_BABL_EXTENSIONS_DIR,
                    dir, NULL);
  g_setenv ("BABL_PATH", path, TRUE);
  g_free (path);
  g_free (dir);
  return extension;
}

/* "<source> to <destination>" of a cached step: an extension's is
 * "<extension> <n>: <source> to <destination>", babl's own
 * " <source> to <destination> <n>".  NULL for anything else. */
static gchar *
step_formats (const gchar *step)
{
  const gchar *colon = strstr (step, ": ");
  const gchar *last_space;

  if (colon)
    return g_strdup (colon + 2);
  last_space = strrchr (step, ' ');
  if (step[0] != ' ' || !last_space || last_space == step)
    return NULL;
  return g_strndup (step + 1, (gsize) (last_space - step - 1));
}

/* Whether `formats` ("<source> to <destination>") is a fast conversion's. */
static gboolean
is_fast (const gchar *formats)
{
  const gchar *to = strstr (formats, " to ");
  gchar       *source;
  gboolean     fast;

  if (!to)
    return FALSE;
  source = g_strndup (formats, (gsize) (to - formats));
  fast = fast_conversions_does (source, to + 4);
  g_free (source);
  return fast;
}

/* A cached fish's steps, rewritten: the one fast conversion between its
 * formats that does a chain of babl's in one, whichever chain babl had
 * cached (it is one of babl's chains, and then the same one every time:
 * babl drops a cached chain now and then and times its candidates again);
 * else each step a fast conversion does, as its. */
static guint
rewrite_steps (GString *out, const gchar *source, const gchar *destination, GPtrArray *steps,
               const gchar *extension)
{
  guint replaced = 0;

  if (steps->len > 0 && source && destination && fast_conversions_chain (source, destination) &&
      !(steps->len == 1 && g_str_has_prefix ((const gchar *) g_ptr_array_index (steps, 0) + 1,
                                             extension)))
    {
      g_string_append_printf (out, "\t%s 0: %s to %s\n", extension, source, destination);
      return 1;
    }
  for (guint i = 0; i < steps->len; i++)
    {
      const gchar *line = g_ptr_array_index (steps, i);
      gchar       *formats = step_formats (line + 1);

      if (formats && is_fast (formats) && !g_str_has_prefix (line + 1, extension))
        {
          g_string_append_printf (out, "\t%s 0: %s\n", extension, formats);
          replaced++;
        }
      else
        g_string_append_printf (out, "%s\n", line);
      g_free (formats);
    }
  return replaced;
}

/* Rewrites the fish cache so that every cached step a fast conversion does
 * is done by it, and every cached fish between the formats of a fast
 * conversion that does a chain in one is that conversion (the same bits
 * as babl's chain: fast-conversions.test.ts): babl picks
 * between conversions of the same formats by timing a few thousand
 * pixels, which on a loaded machine went either way, and what it cached
 * stayed.  Chains it has not cached yet are timed as before, and rewritten
 * at the next start.  An entry of the cache is its source and destination
 * formats, a "\tpixels=…" line, its steps ("\t…") and a line of dashes. */
static void
prefer_fast_conversions (const gchar *fishes, const gchar *extension)
{
  gchar      *contents = NULL;
  gchar     **lines;
  GString    *out;
  GPtrArray  *steps = g_ptr_array_new ();
  const gchar *formats[2] = { NULL, NULL };
  guint       replaced = 0;

  if (!g_file_get_contents (fishes, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  out = g_string_new (NULL);
  for (gchar **line = lines; *line; line++)
    {
      gboolean step = (*line)[0] == '\t' && !strchr (*line, '=');

      if (step)
        {
          g_ptr_array_add (steps, *line);
          continue;
        }
      replaced += rewrite_steps (out, formats[0], formats[1], steps, extension);
      g_ptr_array_set_size (steps, 0);
      if ((*line)[0] == '-')
        formats[0] = formats[1] = NULL;
      else if ((*line)[0] != '\t' && (*line)[0] != '#' && (*line)[0] != '\0')
        formats[formats[0] ? 1 : 0] = *line;
      g_string_append (out, *line);
      if (line[1])
        g_string_append_c (out, '\n');
    }
  replaced += rewrite_steps (out, formats[0], formats[1], steps, extension);
  if (replaced > 0 && !g_file_set_contents (fishes, out->str, (gssize) out->len, NULL))
    diag_log ("fast conversions: cannot rewrite %s", fishes);
  else if (replaced > 0)
    diag_log ("fast conversions: %u cached steps now theirs", replaced);
  g_ptr_array_free (steps, TRUE);
  g_string_free (out, TRUE);
  g_strfreev (lines);
  g_free (contents);
}

void
babl_setup (void)
{
  gchar *fishes = setup_babl_cache ();
  gchar *extension = fast_conversions_enabled () ? setup_extension_path () : NULL;

  if (extension)
    prefer_fast_conversions (fishes, extension);
  g_free (extension);
  g_free (fishes);
}
