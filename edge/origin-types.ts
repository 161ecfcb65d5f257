import type { OutputFormat } from "../shared/formats.ts";
import type { ResultProvenance } from "./db/stored-results.ts";

/**
 * The edge's words for where misses go, with no behaviour (so that the config, the origins and
 * the fleet can all name them without importing one another). An origin is one render server:
 * a self-hosted one (ORIGIN_URLS) or an instance of the fleet on Cloudflare Containers.
 */

/** One origin a job can be sent to. */
export interface Origin {
  /** The origin's URL or the fleet instance's name, for logs. */
  name: string;
  /** Sends a request for `path` (`/graph/…`); rejects when the origin cannot be reached. */
  fetch(path: string, init: RequestInit): Promise<Response>;
}

/** The render fleet on Cloudflare Containers: a fixed set of named instances behind one binding. */
export interface Fleet {
  namespace: Env["RENDER_FLEET"];
  /** How many named instances misses are spread over (FLEET_INSTANCES, at most max_instances). */
  instances: number;
}

/**
 * What an origin is sending: its body as a stream of the announced length, read once by the
 * caller. The stream errors if the origin breaks off or sends more or fewer bytes.
 */
export interface OriginImage {
  body: ReadableStream<Uint8Array>;
  length: number;
  format: OutputFormat;
  /** The origin's `Server-Timing` (its render steps), passed on to the client. */
  serverTiming: string | null;
  /** The origin shared a render another request (another edge isolate) had started. */
  shared: boolean;
}

/** What the caller does with an origin's answer (e.g. stream it into R2); runs once per origin tried. */
export type KeepOriginImage<T> = (rendered: OriginImage) => Promise<T>;

/** A request body sent to an origin: the graph to render, or one to check before a publish. */
export interface OriginBody {
  contentType: string;
  text: string;
}

/** What the edge asks of an origin: a render (or an `/info`), with what the origin needs to run it. */
export interface OriginJob {
  /** The result's cache key; what picks the origin (rendezvous hashing) for other jobs. */
  cacheKey: string;
  /** `/graph/<graphspec>?<query>` with only what the cache key holds (or `/info?…`, `/graph-check/…`). */
  path: string;
  /** Sent with POST (the graph a render runs, origin/app.ts); without one the job is a GET. */
  body?: OriginBody;
  /** This edge's base URL, against which the origin resolves relative inputs. */
  publicBase: string;
  /** The id of the request that asked for the render; the origin logs under it. */
  requestId: string;
  /** The application whose quota the render takes a unit from, when it starts; absent or null: nobody's. */
  payer?: string | null;
  /** For `.auto` URLs, the Accept of the request's variant (shared/accept-variant.ts). */
  accept?: string | null;
  /** A render's graph and image URLs, indexed with its result so that a purge can find it. */
  provenance?: ResultProvenance;
}
