import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { GRAPH_NAME } from "../../shared/processing-request.ts";
import {
  type AdminServer,
  adminServer,
  catalogue,
  DEFAULT_SERVER,
  type GraphSource,
  graphHistory,
  publishGraph,
  removeGraph,
  rollBackGraph,
} from "../admin-client.ts";
import {
  parseArguments,
  pickAction,
  refuseExtraArguments,
  refuseUnknownOptions,
  UsageError,
} from "../arguments.ts";
import type { Command } from "../command.ts";

const USAGE = `Usage: imgflo-server graph <action> [arguments] [--server URL] [--token T]

Publishes graphs on a running edge and manages their versions, through its admin API
(contract §7). Prints JSON on stdout.

Actions:
  publish <file> [--name N] [--note T]   publish a .json (FBP JSON) or .fbp file as graph N
                                         (default: the file's base name); the same content as
                                         the current version makes no new version
  list                                   every graph served: name, version, hash, builtin,
                                         description
  history <name>                         every version of the graph, and which one is current
  rollback <name> <version>              serve an earlier version again (0: the built-in file)
  remove <name>                          stop serving the published versions: the built-in
                                         file, if any, is back (<name>@<version> still renders)

Options:
  --server URL   the edge's base URL (env IMGFLO_SERVER, default ${DEFAULT_SERVER})
  --token T      the edge's ADMIN_TOKEN (env IMGFLO_ADMIN_TOKEN); list needs none`;

/** The content type a publish sends, by the file's extension. */
const SOURCE_TYPES: Record<string, GraphSource["contentType"]> = {
  ".json": "application/json",
  ".fbp": "text/plain",
};

/** The positionals an action takes, by what they are called in a usage error. */
function expectArguments(args: readonly string[], names: readonly string[]): string[] {
  if (args.length < names.length) throw new UsageError(`Missing the ${names[args.length]}.`);
  refuseExtraArguments(args, names.length);
  return [...args];
}

function graphName(text: string): string {
  if (!GRAPH_NAME.test(text)) {
    throw new UsageError(`"${text}" is not a graph name (1 to 64 letters, digits, _ and -).`);
  }
  return text;
}

function parseVersion(text: string): number {
  const version = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(version)) {
    throw new UsageError(`The version must be a whole number (got "${text}").`);
  }
  return version;
}

interface Action {
  /** Options besides --server. */
  options: readonly string[];
  run(args: readonly string[], options: Record<string, string>, server: AdminServer): unknown;
}

const ACTIONS: Record<string, Action> = {
  publish: {
    options: ["token", "name", "note"],
    async run(args, options, server) {
      const [file] = expectArguments(args, ["graph file"]) as [string];
      const extension = extname(file);
      const contentType = SOURCE_TYPES[extension.toLowerCase()];
      if (!contentType) throw new UsageError(`"${file}" is neither a .json nor a .fbp file.`);
      const name = graphName(options.name ?? basename(file, extension));
      const text = await readFile(file, "utf8");
      return publishGraph(server, name, { contentType, text }, options.note ?? "");
    },
  },
  list: {
    options: [],
    async run(args, _options, server) {
      expectArguments(args, []);
      const { graphs } = await catalogue(server);
      return Object.entries(graphs).map(([name, { version, hash, builtin, description }]) => ({
        name,
        version,
        hash,
        builtin,
        description,
      }));
    },
  },
  history: {
    options: ["token"],
    run(args, _options, server) {
      const [name] = expectArguments(args, ["graph name"]) as [string];
      return graphHistory(server, graphName(name));
    },
  },
  rollback: {
    options: ["token"],
    run(args, _options, server) {
      const [name, version] = expectArguments(args, ["graph name", "version"]) as [string, string];
      return rollBackGraph(server, graphName(name), parseVersion(version));
    },
  },
  remove: {
    options: ["token"],
    run(args, _options, server) {
      const [name] = expectArguments(args, ["graph name"]) as [string];
      return removeGraph(server, graphName(name));
    },
  },
};

export const graphCommand: Command = {
  name: "graph",
  summary: "publish, list and roll back graphs on an edge (admin API)",
  usage: USAGE,
  async run(argv, io) {
    const { positionals, options } = parseArguments(argv);
    const { name, action, args } = pickAction(ACTIONS, positionals);
    refuseUnknownOptions(Object.keys(options), ["server", ...action.options], `graph ${name}`);
    const result = await action.run(args, options, adminServer(options, io.env));
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
};
