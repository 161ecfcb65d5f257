import { lookup as dnsLookup } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { errors, isImgfloError } from "../../shared/errors.ts";
import { resolveInputUrl } from "../../shared/parameters.ts";
import type { AddressPolicy } from "./address-policy.ts";
import { type DownloadLimits, DownloadSlots, type DownloadStats } from "./download-slots.ts";
import { InputCache, type InputCacheOptions } from "./input-cache.ts";

export interface FetchInputOptions {
  maxBytes: number;
  /** Deadline for the whole download, redirects included. */
  timeoutMs: number;
  addressPolicy: AddressPolicy;
  userAgent: string;
  /** Concurrent downloads, in all and per input host. */
  limits: DownloadLimits;
  /** Recent downloads reused by URL; none when absent. */
  cache?: InputCacheOptions;
}

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** Resolves host names like dns.lookup, but only ever hands out addresses the policy allows. */
function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const allowed = addresses.filter((entry) => policy(entry.address));
      const first = allowed[0];
      if (!first) return callback(errors.inputForbidden(hostname), "");
      if (options.all) return callback(null, allowed);
      callback(null, first.address, first.family);
    });
  };
}

function describeFailure(url: URL, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return `${url.host} could not be reached (${code ?? (error as Error).message})`;
}

async function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (Number(response.headers["content-length"]) > maxBytes) {
    response.destroy();
    throw errors.inputTooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      response.destroy();
      throw errors.inputTooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Downloads inputs over http(s) without becoming an open proxy: the address policy is applied
 * to the addresses actually connected to (a lookup hook, so DNS rebinding cannot slip between
 * check and connect), redirects are followed by hand and each hop is checked again. Downloads
 * take a slot of their own pool, counted against the host first asked.
 */
export class InputFetcher {
  private readonly agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
  };
  private readonly lookup: LookupFunction;
  private readonly slots: DownloadSlots;
  private readonly cache: InputCache;
  /** Downloads under way, by URL, while the cache is on: what asks for one meanwhile waits for it. */
  private readonly downloading = new Map<string, Promise<Buffer>>();

  constructor(private readonly options: FetchInputOptions) {
    this.lookup = guardedLookup(options.addressPolicy);
    this.slots = new DownloadSlots(options.limits);
    this.cache = new InputCache(options.cache ?? { ttlMs: 0, maxBytes: 0 });
  }

  /**
   * The whole download, waiting for its slot included, runs under the timeout. `pooled: false`
   * is for the server's own public URLs (chained requests), which take no download slot. A URL
   * downloaded within the cache's TTL is answered from the cache, and one being downloaded (a page
   * asking for all its sizes of an image at once) is downloaded once.
   */
  async fetch(url: URL, { pooled } = { pooled: true }): Promise<Buffer> {
    const cached = this.cache.get(url);
    if (cached) return cached;
    if (!this.cache.enabled) return this.downloadOnce(url, pooled);
    const key = `${pooled}:${url.href}`;
    const running = this.downloading.get(key);
    if (running) return running;
    const download = this.downloadOnce(url, pooled).finally(() => this.downloading.delete(key));
    this.downloading.set(key, download);
    return download;
  }

  private async downloadOnce(url: URL, pooled: boolean): Promise<Buffer> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const hop = { current: url };
    try {
      const download = () => this.download(hop, signal);
      const bytes = await (pooled ? this.slots.run(url.host, signal, download) : download());
      this.cache.set(url, bytes);
      return bytes;
    } catch (error) {
      if (isImgfloError(error)) throw error;
      if (signal.aborted) {
        throw errors.inputUnreachable(
          `no complete answer within ${this.options.timeoutMs / 1000} s.`,
          "timeout",
        );
      }
      throw errors.inputUnreachable(`${describeFailure(hop.current, error)}.`);
    }
  }

  stats(): DownloadStats {
    return this.slots.stats();
  }

  close(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }

  /** Follows redirects by hand; `hop.current` is the URL being fetched, for error messages. */
  private async download(hop: { current: URL }, signal: AbortSignal): Promise<Buffer> {
    for (let redirects = 0; ; redirects++) {
      const response = await this.get(hop.current, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.includes(status) && location) {
        response.resume();
        if (redirects === MAX_REDIRECTS) {
          throw errors.inputUnreachable(`more than ${MAX_REDIRECTS} redirects.`, "redirects");
        }
        hop.current = new URL(location, hop.current);
        continue;
      }
      if (status < 200 || status > 299) {
        response.resume();
        throw errors.inputUnreachable(
          `${hop.current.host} answered with status ${status}.`,
          "status",
        );
      }
      return await readBody(response, this.options.maxBytes);
    }
  }

  private async get(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw errors.inputUnreachable(
        `${url.protocol} URLs are not fetched (only http and https).`,
        "scheme",
      );
    }
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    // IP literals skip DNS, so the lookup hook never sees them: check them here.
    if (isIP(literal) && !this.options.addressPolicy(literal)) {
      throw errors.inputForbidden(url.hostname);
    }
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const send = (retry: boolean) => {
        const request = client.get(url, {
          agent: this.agents[url.protocol as "http:" | "https:"],
          lookup: this.lookup,
          signal,
          headers: {
            "user-agent": this.options.userAgent,
            "accept-encoding": "identity",
            accept: "image/*,*/*;q=0.8",
          },
        });
        request.once("response", resolve);
        request.once("error", (error: NodeJS.ErrnoException) => {
          // A kept-alive connection the server closed just as it was reused: one fresh try.
          if (retry && request.reusedSocket && error.code === "ECONNRESET") send(false);
          else reject(error);
        });
      };
      send(true);
    });
  }
}

/** Where a request's relative inputs live, and how to read URLs this origin serves itself. */
export interface InputContext {
  /** The edge's public base URL, or this origin's own. */
  base: string;
  /** Reads a URL of this origin in-process; null when the URL is elsewhere. */
  fetchOwn(url: URL): Promise<Buffer> | null;
}

/** Fetches an image URL (`input`, or the image inport `name`) as given, relative ones resolved. */
export async function fetchInput(
  input: string,
  context: InputContext,
  fetcher: InputFetcher,
  name = "input",
): Promise<Buffer> {
  let url: URL;
  try {
    url = resolveInputUrl(input, context.base);
  } catch {
    throw errors.invalidParameter(name, `cannot be resolved against ${context.base}`);
  }
  // Chained inputs on the public server (the edge) skip the download pool: an outer render
  // holding the edge's download slots while its inner renders wait for one would deadlock.
  const chained = URL.canParse(context.base) && new URL(context.base).origin === url.origin;
  return (await context.fetchOwn(url)) ?? fetcher.fetch(url, { pooled: !chained });
}
