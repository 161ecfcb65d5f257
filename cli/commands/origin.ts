import { ORIGIN_SETTINGS } from "../../shared/origin-settings.ts";
import { parseArguments, refuseExtraArguments, refuseUnknownOptions } from "../arguments.ts";
import type { Command } from "../command.ts";
import { settingsHelp } from "../settings-help.ts";

export const originCommand: Command = {
  name: "origin",
  summary: "run the render origin (GEGL workers behind an HTTP API)",
  get usage() {
    return `Usage: imgflo-server origin [--graphs DIR]

Runs the render origin until SIGTERM or SIGINT. Configuration comes from the
environment (the README's configuration table says the same):

Options:
  --graphs DIR   folder of graph files (default: the project's graphs/)

Environment:
${settingsHelp(Object.values(ORIGIN_SETTINGS))}`;
  },
  async run(argv, io) {
    const { positionals, options } = parseArguments(argv);
    refuseExtraArguments(positionals);
    refuseUnknownOptions(Object.keys(options), ["graphs"]);
    // Loaded on demand: the other commands need neither sharp nor the GEGL pool.
    const { runOrigin } = await import("../../origin/main.ts");
    return runOrigin(io.env, io, options.graphs ? { graphsDir: options.graphs } : {});
  },
};
