import { buildProcessingUrl } from "../../shared/signed-url.ts";
import { EXPIRES_PARAMETER, expiresIn } from "../../shared/url-expiry.ts";
import { DEFAULT_SERVER } from "../admin-client.ts";
import { parseArguments, refuseExtraArguments, UsageError } from "../arguments.ts";
import type { Command } from "../command.ts";

const CONNECTION_OPTIONS = ["format", "server", "key", "secret", "expires-in"];

function parseLifetime(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--expires-in takes a whole number of seconds (got "${text}").`);
  }
  return Number(text);
}

export const urlCommand: Command = {
  name: "url",
  summary: "print a (signed) processing URL",
  usage: `Usage: imgflo-server url <graph> [--format png] [--server URL] [--key K] [--secret S] [--expires-in SECONDS] --<param> <value> ...

Prints the processing URL for <graph> with the given parameters, exactly as the
imgflo-url client builds it. With a key and secret the URL is signed; without them
it is the unsigned form.

Options:
  --format F     output format (png, jpg, webp, avif, gif, auto); default: the input's extension
  --server URL   server base URL (env IMGFLO_SERVER, default ${DEFAULT_SERVER})
  --key K        application key (env IMGFLO_API_KEY)
  --secret S     application secret (env IMGFLO_API_SECRET)
  --expires-in S the signed URL answers 403 "expired" S seconds from now (adds expires=<unix
                 seconds>, covered by the signature)
  --<param> V    any graph parameter, e.g. --input https://example.com/a.jpg --width 300`,
  async run(argv, io) {
    const { positionals, options } = parseArguments(argv);
    const [graph] = positionals;
    if (!graph) throw new UsageError("Missing the graph name.");
    refuseExtraArguments(positionals, 1);
    const key = options.key ?? io.env.IMGFLO_API_KEY;
    const secret = options.secret ?? io.env.IMGFLO_API_SECRET;
    if (Boolean(key) !== Boolean(secret)) {
      throw new UsageError("Give both --key and --secret (or neither, for an unsigned URL).");
    }
    const params: Record<string, string | number> = Object.fromEntries(
      Object.entries(options).filter(([name]) => !CONNECTION_OPTIONS.includes(name)),
    );
    const lifetime = options["expires-in"];
    if (lifetime !== undefined) {
      if (!key) throw new UsageError("--expires-in is for signed URLs: give --key and --secret.");
      params[EXPIRES_PARAMETER] = expiresIn(parseLifetime(lifetime), Date.now());
    }
    const server = options.server ?? io.env.IMGFLO_SERVER ?? DEFAULT_SERVER;
    io.stdout(`${buildProcessingUrl({ server, key, secret }, graph, params, options.format)}\n`);
    return 0;
  },
};
