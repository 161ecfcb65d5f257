/* imgflo-gegl-worker: a long-lived GEGL rendering process.
 *
 * Initialises GEGL once, then serves requests read from stdin and writes
 * replies to stdout, one at a time, until stdin closes. See protocol.h for
 * the framing, describe.c / render.c for the commands and pixel-file.h for
 * the files a render's pixels may come and go in. Only protocol
 * frames are ever written to the real stdout: at start-up the process keeps
 * a private copy of it and points fd 1 at stderr, so anything a library
 * prints cannot corrupt the stream.
 *
 * Environment (the origin sets each from its settings, shared/origin-settings.ts):
 *   GEGL_THREADS      number of GEGL render threads (read by GEGL itself)
 *   GEGL_CACHE_SIZE   tile cache in MiB (read by GEGL; default here 3000)
 *   GEGL_PATH         extra plug-in directories (':'-separated); GEGL's own
 *                     plug-in directory and <this executable's dir>/gegl-ops
 *                     are always loaded as well
 *   IMGFLO_WORKER_INPUT=u8            wrap input pixels as 8-bit instead of
 *                     widening them to 16-bit (faster by ~10%, but lets babl
 *                     build 256 MiB lookup tables; see wire-pixels.c)
 *   IMGFLO_WORKER_MAX_PAYLOAD_BYTES  largest request payload accepted
 *   IMGFLO_WORKER_WARMUP=0            skip the start-up warm-up render
 *   IMGFLO_WORKER_DIRECT=0            render a lone gaussian blur through
 *                     GEGL as well (see direct-blur.h)
 *   IMGFLO_WORKER_FAST_CONVERSIONS=0  leave babl's sRGB-curve conversions to
 *                     babl (see fast-conversions.h)
 *   IMGFLO_WORKER_POINT_CHAINS=0      render chains of point operations node by
 *                     node through GEGL (see point-chain-fusion.h)
 * babl's fish cache is the workers' own (XDG_CACHE_HOME), and the fast
 * conversions come as a babl extension (babl-setup.h).
 */
#include "babl-setup.h"
#include "beside-executable.h"
#include "describe.h"
#include "diag.h"
#include "fast-conversions.h"
#include "kept-image.h"
#include "protocol.h"
#include "render.h"
#include "warm-up.h"

#include <gegl.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IMGFLO_GEGL_PLUGINS_DIR
#define IMGFLO_GEGL_PLUGINS_DIR "/usr/lib/x86_64-linux-gnu/gegl-0.4"
#endif

/* GEGL's tile cache limit. Without swap, tiles pushed out of the cache go
 * to GEGL's RAM backend, so a small limit saves no memory but costs a lot
 * of copying on large images (36 MP gaussian blur here: 21 s with 256 MiB,
 * 4.5-5 s with 2-4 GiB, same peak RSS). So: large enough for ~40 MP. GEGL
 * allocates tiles in blocks of a hundredth of it: at 3000 MiB (30 MiB
 * blocks) they are under glibc's largest mmap threshold (32 MiB), which the
 * worker sets (keep_freed_memory), so that the blocks come from the heap and
 * are reused, instead of being mapped afresh (and zeroed by the kernel) for
 * every render. */
#define DEFAULT_CACHE_MIB 3000

/* After a render of at least this many output pixels the worker gives its
 * free memory back (malloc_trim): after a GEGL render once no request has
 * come for IDLE_TRIM_MS, so that renders that follow one another reuse
 * GEGL's tile blocks and images instead of faulting in fresh pages, while
 * an idle worker does not keep a large image's memory for long (10 s, as
 * jemalloc's decay: renders a second or two apart, a CDN origin's usual
 * traffic, found it trimmed at 1 s, a 12 MP customgrey 118 -> 268 ms);
 * after a fast path's at once (its large memory is the request's, which
 * holds the result too and which nothing reuses), but for a blur's float
 * image, kept until the worker idles (kept-image.c). Nothing else gives
 * memory back (keep_freed_memory). */
#define TRIM_AFTER_PIXELS (1024 * 1024)
#define IDLE_TRIM_MS      10000

typedef enum { TRIM_NONE, TRIM_NOW, TRIM_WHEN_IDLE } Trim;

/* glibc's malloc keeps what the worker frees until the trim above: by
 * itself it deleted a GEGL thread's arena heap as soon as the tiles in it
 * were freed and trimmed the main heap's top, so renders a few seconds apart
 * (an origin's misses) faulted their tiles in afresh, and on these VMs
 * memory left for a second or two costs far more to touch again (a 12 MP
 * customgrey 2.5 s after the last: 270-400 ms, 107-160 ms with this). One
 * arena, no trim on free, and blocks up to 32 MiB (glibc's largest mmap
 * threshold; GEGL's tile blocks are 30 MiB) from the heap. Huge pages come
 * from the origin's GLIBC_TUNABLES (origin/malloc-tunables.ts), which glibc
 * reads at exec. */
static void
keep_freed_memory (void)
{
  mallopt (M_ARENA_MAX, 1);
  mallopt (M_TRIM_THRESHOLD, G_MAXINT);
  mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024);
}

static int protocol_in  = -1;
static int protocol_out = -1;

/* Moves the protocol streams off fds 0/1: fd 0 becomes /dev/null and fd 1
 * becomes a copy of stderr. */
static void
setup_streams (void)
{
  int devnull;

  protocol_in = fcntl (STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
  protocol_out = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (protocol_in < 0 || protocol_out < 0)
    {
      perror ("imgflo-gegl-worker: cannot duplicate stdin/stdout");
      exit (1);
    }

  fflush (stdout);
  if (dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    {
      perror ("imgflo-gegl-worker: cannot redirect stdout");
      exit (1);
    }
  devnull = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull >= 0)
    {
      dup2 (devnull, STDIN_FILENO);
      close (devnull);
    }

  /* A vanished peer shows up as a write error, not a fatal signal. */
  signal (SIGPIPE, SIG_IGN);
}

/* Sets GEGL_PATH, the plug-in directories GEGL loads at init:
 *   1. GEGL's own plug-in directory (when GEGL_PATH is set, GEGL loads only
 *      from there, which would lose every built-in operation),
 *   2. the directories of the caller's GEGL_PATH, if any,
 *   3. gegl-ops/ next to this executable (build/native/gegl-ops), if it
 *      exists, so imgflo's own operations load without configuration.
 * Always setting it also stops gegl_init from creating a plug-in folder
 * (and a Makefile) under $HOME. */
static void
setup_plugin_path (void)
{
  const gchar *env = g_getenv ("GEGL_PATH");
  GPtrArray   *dirs = g_ptr_array_new_with_free_func (g_free);
  gchar       *ops_dir = NULL;
  gchar       *joined;

  if (g_file_test (IMGFLO_GEGL_PLUGINS_DIR, G_FILE_TEST_IS_DIR))
    g_ptr_array_add (dirs, g_strdup (IMGFLO_GEGL_PLUGINS_DIR));
  else
    diag_log ("GEGL plug-in directory %s not found", IMGFLO_GEGL_PLUGINS_DIR);

  if (env && *env)
    {
      gchar **parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
      for (gchar **d = parts; *d; d++)
        if (**d && !g_ptr_array_find_with_equal_func (dirs, *d, g_str_equal, NULL))
          g_ptr_array_add (dirs, g_strdup (*d));
      g_strfreev (parts);
    }

  ops_dir = beside_executable ("gegl-ops");
  if (ops_dir && g_file_test (ops_dir, G_FILE_TEST_IS_DIR) &&
      !g_ptr_array_find_with_equal_func (dirs, ops_dir, g_str_equal, NULL))
    g_ptr_array_add (dirs, g_steal_pointer (&ops_dir));
  g_free (ops_dir);

  g_ptr_array_add (dirs, NULL);
  joined = g_strjoinv (G_SEARCHPATH_SEPARATOR_S, (gchar **) dirs->pdata);
  if (*joined)
    g_setenv ("GEGL_PATH", joined, TRUE);
  diag_log ("plug-in path: %s", *joined ? joined : "(GEGL default)");
  g_free (joined);
  g_ptr_array_free (dirs, TRUE);
}

static void
configure_gegl (void)
{
  GeglConfig *config = gegl_config ();
  gint        threads = 0;
  guint64     cache = 0;

  /* Never swap to disk: with no swap directory GEGL keeps every tile in
   * RAM. (GEGL_SWAP=RAM would do the same but 0.4.42 also creates a
   * directory named "RAM" in the working directory.) */
  g_object_set (config, "swap", NULL, NULL);

  if (!g_getenv ("GEGL_CACHE_SIZE"))
    g_object_set (config, "tile-cache-size", (guint64) DEFAULT_CACHE_MIB * 1024 * 1024, NULL);

  g_object_get (config, "threads", &threads, "tile-cache-size", &cache, NULL);
  diag_log ("ready: GEGL %d.%d.%d, %d thread(s), tile cache %" G_GUINT64_FORMAT " MiB, no swap",
            GEGL_MAJOR_VERSION, GEGL_MINOR_VERSION, GEGL_MICRO_VERSION, threads,
            cache / (1024 * 1024));
}

static Reply *
handle (ProtocolMessage *message, Trim *trim)
{
  JsonParser  *parser = json_parser_new_immutable ();
  GError      *error = NULL;
  JsonNode    *root;
  JsonObject  *request;
  JsonNode    *cmd_node;
  const gchar *cmd;
  Reply       *reply;

  *trim = TRIM_NONE;

  if (!json_parser_load_from_data (parser, message->header, (gssize) message->header_len, &error))
    {
      reply = reply_error ("bad-request", "The request header is not valid JSON: %s", error->message);
      g_error_free (error);
      g_object_unref (parser);
      return reply;
    }
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_object_unref (parser);
      return reply_error ("bad-request", "The request header must be a JSON object.");
    }
  request = json_node_get_object (root);
  cmd_node = json_object_get_member (request, "cmd");
  if (!cmd_node || !JSON_NODE_HOLDS_VALUE (cmd_node) ||
      json_node_get_value_type (cmd_node) != G_TYPE_STRING)
    {
      g_object_unref (parser);
      return reply_error ("bad-request", "The request needs a \"cmd\" string.");
    }
  cmd = json_node_get_string (cmd_node);

  diag_begin ();
  fast_conversions_reset ();
  if (strcmp (cmd, "ping") == 0)
    reply = reply_ok ();
  else if (strcmp (cmd, "describe") == 0)
    reply = describe_handle (request);
  else if (strcmp (cmd, "render") == 0)
    {
      JsonObject *header;

      reply = render_command (request, message);
      header = json_node_get_object (reply->header);
      if (json_object_get_int_member_with_default (header, "width", 0) *
            json_object_get_int_member_with_default (header, "height", 0) >=
          TRIM_AFTER_PIXELS)
        *trim = g_strcmp0 (json_object_get_string_member_with_default (header, "path", ""),
                           "gegl") == 0
                  ? TRIM_WHEN_IDLE
                  : TRIM_NOW;
    }
  else
    reply = reply_error ("bad-request", "Unknown command '%s'.", cmd);

  g_object_unref (parser);
  return reply;
}

/* Waits for the next request; after a large render, gives the free memory
 * back (at once after a fast path's) and the kept float image if none comes
 * within IDLE_TRIM_MS. */
static void
wait_for_request (Trim *trim)
{
  struct pollfd request = { .fd = protocol_in, .events = POLLIN };

  if (*trim == TRIM_NOW)
    {
      malloc_trim (0);
      *trim = TRIM_WHEN_IDLE;
    }
  if (*trim == TRIM_WHEN_IDLE && poll (&request, 1, IDLE_TRIM_MS) == 0)
    {
      kept_image_release ();
      malloc_trim (0);
      *trim = TRIM_NONE;
    }
}

int
main (int argc, char **argv)
{
  Trim trim_pending = TRIM_NONE;

  keep_freed_memory ();
  setup_streams ();
  diag_init ();
  protocol_init ();
  setup_plugin_path ();

  /* No GPU here; skip OpenCL probing. */
  if (!g_getenv ("GEGL_USE_OPENCL"))
    g_setenv ("GEGL_USE_OPENCL", "no", TRUE);

  babl_setup ();
  gegl_init (&argc, &argv);
  configure_gegl ();
  warm_up ();

  for (;;)
    {
      ProtocolMessage    message;
      gchar             *error = NULL;
      ProtocolReadStatus status;
      Reply             *reply;
      Trim               trim = TRIM_NONE;

      wait_for_request (&trim_pending);
      status = protocol_read_message (protocol_in, &message, &error);

      if (status == PROTOCOL_READ_EOF)
        break;
      if (status == PROTOCOL_READ_ERROR)
        {
          diag_log ("protocol error: %s", error);
          protocol_send_reply (protocol_out, reply_error ("protocol", "%s", error));
          g_free (error);
          return 1;
        }

      reply = handle (&message, &trim);
      protocol_message_clear (&message);
      if (!protocol_send_reply (protocol_out, reply))
        return 1;
      if (trim != TRIM_NONE)
        trim_pending = trim;
    }

  gegl_exit ();
  return 0;
}
