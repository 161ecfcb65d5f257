import { errorFromBody, errors, type ImgfloError } from "../shared/errors.ts";
import { formatFromContentType, type OutputFormat } from "../shared/formats.ts";
import { PUBLIC_BASE_HEADER } from "../shared/origin-headers.ts";
import type { EdgeConfig } from "./config.ts";

/** What an origin rendered: complete bytes and their format. */
export interface Rendered {
  bytes: ArrayBuffer;
  format: OutputFormat;
}

/** The request one render sends to the origins. */
export interface RenderJob {
  cacheKey: string;
  /** `/graph/<graphspec>?<query>` as the client sent it, minus key and token. */
  path: string;
  /** This edge's base URL, against which the origin resolves relative inputs. */
  publicBase: string;
  /** For `.auto` URLs, the Accept of the request's variant (shared/accept-variant.ts). */
  accept?: string | null;
}

/** An origin that is overloaded, failing or holds another secret: another origin may do better. */
const FAILOVER_STATUSES = [401, 502, 503];

/** A reason to try the next origin (the origin, not the request, is at fault). */
class OriginUnavailable extends Error {}

/** FNV-1a with murmur3's finaliser, so that strings differing in one character score far apart. */
function score(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * The origins in the order to try them for a cache key: rendezvous hashing, so the same
 * result always goes to the same origin (its in-flight dedup works across edge isolates)
 * and removing an origin only moves the keys it owned.
 */
export function originsFor(origins: readonly string[], cacheKey: string): string[] {
  return origins
    .map((origin) => ({ origin, score: score(`${origin}\n${cacheKey}`) }))
    .sort((a, b) => b.score - a.score)
    .map(({ origin }) => origin);
}

async function errorFrom(response: Response): Promise<ImgfloError> {
  const body: unknown = await response.json().catch(() => null);
  return errorFromBody(response.status, body);
}

/** Reads an origin's successful answer; throws OriginUnavailable when it is not what was asked. */
type ReadAnswer<T> = (response: Response) => Promise<T>;

async function askOrigin<T>(
  origin: string,
  job: RenderJob,
  config: EdgeConfig,
  read: ReadAnswer<T>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${origin}${job.path}`, {
      headers: {
        authorization: `Bearer ${config.originSecret}`,
        [PUBLIC_BASE_HEADER]: job.publicBase,
        ...(job.accept ? { accept: job.accept } : {}),
      },
      redirect: "manual",
      signal: AbortSignal.timeout(config.originTimeoutMs),
    });
  } catch (error) {
    throw new OriginUnavailable(
      (error as Error).name === "TimeoutError" ? "timed out" : "unreachable",
    );
  }
  if (
    FAILOVER_STATUSES.includes(response.status) ||
    (response.status >= 300 && response.status < 400)
  ) {
    await response.body?.cancel();
    throw new OriginUnavailable(`answered ${response.status}`);
  }
  if (!response.ok) throw await errorFrom(response);
  return read(response);
}

async function readImage(response: Response): Promise<Rendered> {
  const format = formatFromContentType(response.headers.get("content-type") ?? "");
  if (!format)
    throw new OriginUnavailable("answered with a content type that is not an output format");
  const bytes = await response.arrayBuffer().catch(() => {
    throw new OriginUnavailable("broke off the answer");
  });
  const length = response.headers.get("content-length");
  if (
    length !== null &&
    !response.headers.has("content-encoding") &&
    Number(length) !== bytes.byteLength
  ) {
    throw new OriginUnavailable("sent fewer bytes than announced");
  }
  return { bytes, format };
}

async function readJson(response: Response): Promise<unknown> {
  return response.json().catch(() => {
    throw new OriginUnavailable("answered with something that is not JSON");
  });
}

/** The job on the cluster: the key's preferred origin first, the next on failure; 502 when none answers. */
async function onCluster<T>(job: RenderJob, config: EdgeConfig, read: ReadAnswer<T>): Promise<T> {
  const reasons: string[] = [];
  for (const origin of originsFor(config.originUrls, job.cacheKey)) {
    try {
      return await askOrigin(origin, job, config, read);
    } catch (error) {
      if (!(error instanceof OriginUnavailable)) throw error;
      console.warn(`origin ${origin} ${error.message} for ${job.cacheKey}`);
      reasons.push(`origin ${reasons.length + 1} ${error.message}`);
    }
  }
  throw errors.originFailed(
    reasons.length > 0 ? `${reasons.join(", ")}.` : "no origin is configured.",
  );
}

/** Renders on the cluster and reads the image. */
export function renderOnCluster(job: RenderJob, config: EdgeConfig): Promise<Rendered> {
  return onCluster(job, config, readImage);
}

/** Asks the cluster for a JSON document (`/info`). */
export function describeOnCluster(job: RenderJob, config: EdgeConfig): Promise<unknown> {
  return onCluster(job, config, readJson);
}
