import type { PurgeSelector } from "../../edge/result-purge.ts";
import { adminServer, DEFAULT_SERVER, purgeResults } from "../admin-client.ts";
import {
  parseArguments,
  refuseExtraArguments,
  refuseUnknownOptions,
  UsageError,
} from "../arguments.ts";
import type { Command } from "../command.ts";

const USAGE = `Usage: imgflo-server purge (--input URL | --graph NAME | --key KEY) [--server URL] [--token T]

Removes results from the edge's R2 bucket and caches (contract §7, POST /admin/purge): every
result of an input image (as "input" or an image inport; a relative files/... and its absolute
URL are one image), of a graph (every version), or the one result of a cache key. The next
request renders anew. Prints {"purged": N}. Cloudflare's own cache in front is the zone's to
purge (see the README, "Purging results").

Options:
  --input URL    the image URL the results were made from
  --graph NAME   the graph they were rendered by
  --key KEY      one result's cache key (the 64 hex digits of /cache/<key>.<ext>)
  --server URL   the edge's base URL (env IMGFLO_SERVER, default ${DEFAULT_SERVER})
  --token T      the edge's ADMIN_TOKEN (env IMGFLO_ADMIN_TOKEN)`;

const SELECTORS = ["input", "graph", "key"] as const;

export const purgeCommand: Command = {
  name: "purge",
  summary: "remove the results of an input, a graph or a key from the edge (admin API)",
  usage: USAGE,
  async run(argv, io) {
    const { positionals, options } = parseArguments(argv);
    refuseExtraArguments(positionals);
    refuseUnknownOptions(Object.keys(options), ["server", "token", ...SELECTORS]);
    const given = SELECTORS.filter((name) => options[name] !== undefined);
    if (given.length !== 1) throw new UsageError("Give exactly one of --input, --graph, --key.");
    const name = given[0] as (typeof SELECTORS)[number];
    const selector = { [name]: options[name] } as PurgeSelector;
    const result = await purgeResults(adminServer(options, io.env), selector);
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
};
