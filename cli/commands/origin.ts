import { parseArguments, UsageError } from "../arguments.ts";
import type { Command } from "../command.ts";

export const originCommand: Command = {
  name: "origin",
  summary: "run the render origin (GEGL workers behind an HTTP API)",
  usage: `Usage: imgflo-server origin [--graphs DIR]

Runs the render origin until SIGTERM or SIGINT. Configuration comes from the
environment: PORT (8080), HOST (127.0.0.1), ORIGIN_SECRET, RENDER_CONCURRENCY
(CPU count), MAX_QUEUE (256), MAX_DOWNLOADS (32), MAX_DOWNLOADS_PER_HOST (8),
MAX_RENDER_MEMORY (3/4 of the cgroup limit, else 1/2 of RAM), MAX_INPUT_BYTES
(25 MiB), MAX_PIXELS (40000000), FETCH_TIMEOUT_MS (20000), RENDER_TIMEOUT_MS
(30000), ALLOW_PRIVATE_INPUTS (off), GEGL_THREADS (CPU count /
RENDER_CONCURRENCY). See the README's table.

Options:
  --graphs DIR   folder of graph files (default: the project's graphs/)`,
  async run(argv, io) {
    const { positionals, options } = parseArguments(argv);
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    const unknown = Object.keys(options).filter((name) => name !== "graphs");
    if (unknown.length > 0) throw new UsageError(`Unknown option --${unknown[0]}.`);
    // Loaded on demand: the other commands need neither sharp nor the GEGL pool.
    const { runOrigin } = await import("../../origin/main.ts");
    return runOrigin(io.env, io, options.graphs ? { graphsDir: options.graphs } : {});
  },
};
