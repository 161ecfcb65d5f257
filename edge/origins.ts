import { errorFromBody, errors, type ImgfloError } from "../shared/errors.ts";
import { formatFromContentType } from "../shared/formats.ts";
import {
  CACHE_KEY_HEADER,
  PUBLIC_BASE_HEADER,
  SHARED_RENDER_HEADER,
} from "../shared/origin-headers.ts";
import { REQUEST_ID_HEADER } from "../shared/request-id.ts";
import type { EdgeConfig } from "./config.ts";
import { fleetInstanceNames, fleetOrigin } from "./fleet-origins.ts";
import type { KeepOriginImage, Origin, OriginBody, OriginJob } from "./origin-types.ts";

/** An origin that is overloaded, failing or holds another secret: another origin may do better. */
const FAILOVER_STATUSES = [401, 502, 503];

/**
 * The contract's errors of a render (§3): the request's own fault (4xx, replayed until they
 * expire) or its input's (504). Any other status, such as Node's 431 or a crash's 500, is the
 * origin's failure and never the URL's.
 */
const RENDER_ERROR_STATUSES = [400, 403, 404, 413, 415, 422, 504];

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
export function rendezvousOrder(origins: readonly string[], cacheKey: string): string[] {
  return origins
    .map((origin) => ({ origin, score: score(`${origin}\n${cacheKey}`) }))
    .sort((a, b) => b.score - a.score)
    .map(({ origin }) => origin);
}

/** A self-hosted origin (one of ORIGIN_URLS). */
export function selfHostedOrigin(url: string): Origin {
  return { name: url, fetch: (path, init) => fetch(`${url}${path}`, init) };
}

/** Every call to an origin: the path, the origin secret as bearer, a deadline, no redirects followed. */
export function callOrigin(
  origin: Origin,
  path: string,
  config: EdgeConfig,
  {
    timeoutMs,
    headers = {},
    body,
  }: { timeoutMs: number; headers?: Record<string, string>; body?: OriginBody | undefined },
): Promise<Response> {
  return origin.fetch(path, {
    method: body ? "POST" : "GET",
    headers: {
      authorization: `Bearer ${config.originSecret}`,
      ...headers,
      ...(body ? { "content-type": body.contentType } : {}),
    },
    ...(body ? { body: body.text } : {}),
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** Why a call to an origin got no answer, in a few words. */
export function unreachableReason(error: unknown): string {
  return (error as Error).name === "TimeoutError" ? "timed out" : "unreachable";
}

/**
 * The origins in the order to try them for a cache key: the self-hosted ones when ORIGIN_URLS
 * is set (they win over the fleet), else the fleet's named instances.
 */
export function originsFor(config: EdgeConfig, cacheKey: string): Origin[] {
  if (config.originUrls.length > 0) {
    return rendezvousOrder(config.originUrls, cacheKey).map(selfHostedOrigin);
  }
  const { fleet } = config;
  if (!fleet) return [];
  return rendezvousOrder(fleetInstanceNames(fleet), cacheKey).map((name) =>
    fleetOrigin(fleet, name),
  );
}

/** The render's own error when the origin answered one in the contract's JSON, else null. */
async function renderErrorFrom(response: Response): Promise<ImgfloError | null> {
  if (!RENDER_ERROR_STATUSES.includes(response.status)) return null;
  const body: unknown = await response.json().catch(() => null);
  const error = errorFromBody(response.status, body);
  return error.code === "unexpected-response" ? null : error;
}

/** The announced length of an answer whose body arrives as sent (not re-encoded in transit). */
function announcedLength(response: Response): number | null {
  const text = response.headers.get("content-length");
  if (text === null || response.headers.has("content-encoding")) return null;
  const length = Number(text);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

/**
 * The body checked against its announced length, chunk by chunk as the caller reads it, so a
 * result of any size passes through without being held in memory. `brokeOff()` tells whether
 * the origin (not the reader) ended it.
 */
function checkedBody(body: ReadableStream<Uint8Array>, length: number) {
  const reader = body.getReader();
  let received = 0;
  let fault: string | null = null;
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, reason: string) => {
    fault = reason;
    controller.error(new OriginUnavailable(reason));
    void reader.cancel().catch(() => undefined);
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        return fail(controller, "broke off the answer");
      }
      if (next.done) {
        if (received < length) return fail(controller, "sent fewer bytes than announced");
        return controller.close();
      }
      received += next.value.byteLength;
      if (received > length) return fail(controller, "sent more bytes than announced");
      controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { stream, fault: () => fault };
}

/** Reads an origin's successful answer; throws OriginUnavailable when it is not what was asked. */
type ReadAnswer<T> = (response: Response) => Promise<T>;

async function askOrigin<T>(
  origin: Origin,
  job: OriginJob,
  config: EdgeConfig,
  read: ReadAnswer<T>,
): Promise<T> {
  let response: Response;
  try {
    response = await callOrigin(origin, job.path, config, {
      timeoutMs: config.originTimeoutMs,
      body: job.body,
      headers: {
        "accept-encoding": "identity",
        [PUBLIC_BASE_HEADER]: job.publicBase,
        [REQUEST_ID_HEADER]: job.requestId,
        ...(job.accept ? { accept: job.accept } : {}),
      },
    });
  } catch (error) {
    throw new OriginUnavailable(unreachableReason(error));
  }
  if (
    FAILOVER_STATUSES.includes(response.status) ||
    (response.status >= 300 && response.status < 400)
  ) {
    await response.body?.cancel();
    throw new OriginUnavailable(`answered ${response.status}`);
  }
  if (!response.ok) {
    const error = await renderErrorFrom(response);
    await response.body?.cancel().catch(() => undefined);
    throw error ?? new OriginUnavailable(`answered ${response.status}`);
  }
  return read(response);
}

/** An image answer, checked (its cache key, its length) and handed to `keep` as it streams in. */
function imageReader<T>(job: OriginJob, keep: KeepOriginImage<T>): ReadAnswer<T> {
  return async (response) => {
    if (response.headers.get(CACHE_KEY_HEADER) !== job.cacheKey) {
      await response.body?.cancel();
      // An origin on another catalogue version: storing its bytes would file them under a wrong key.
      throw new OriginUnavailable("rendered another cache key (a different catalogue version?)");
    }
    const format = formatFromContentType(response.headers.get("content-type") ?? "");
    const length = announcedLength(response);
    if (!format || length === null || !response.body) {
      await response.body?.cancel();
      throw new OriginUnavailable(
        format
          ? "answered without announcing the length of its answer"
          : "answered with a content type that is not an output format",
      );
    }
    const body = checkedBody(response.body, length);
    try {
      return await keep({
        body: body.stream,
        length,
        format,
        serverTiming: response.headers.get("server-timing"),
        shared: response.headers.get(SHARED_RENDER_HEADER) === "1",
      });
    } catch (error) {
      const fault = body.fault();
      if (fault) throw new OriginUnavailable(fault);
      throw error;
    }
  };
}

async function readJson(response: Response): Promise<unknown> {
  return response.json().catch(() => {
    throw new OriginUnavailable("answered with something that is not JSON");
  });
}

/** Runs a job on the origins: the key's preferred one first, the next on failure (even mid-body); 502 when none answers. */
async function runOnOrigins<T>(
  job: OriginJob,
  config: EdgeConfig,
  read: ReadAnswer<T>,
): Promise<T> {
  const reasons: string[] = [];
  for (const origin of originsFor(config, job.cacheKey)) {
    try {
      return await askOrigin(origin, job, config, read);
    } catch (error) {
      if (!(error instanceof OriginUnavailable)) throw error;
      console.warn({
        msg: "origin unavailable",
        requestId: job.requestId,
        origin: origin.name,
        reason: error.message,
        cacheKey: job.cacheKey,
      });
      reasons.push(`origin ${reasons.length + 1} ${error.message}`);
    }
  }
  throw errors.originFailed(
    reasons.length > 0 ? `${reasons.join(", ")}.` : "no origin is configured.",
  );
}

/** Renders on the origins and hands the image to `keep` (e.g. to stream it into R2). */
export function renderOnOrigins<T>(
  job: OriginJob,
  config: EdgeConfig,
  keep: KeepOriginImage<T>,
): Promise<T> {
  return runOnOrigins(job, config, imageReader(job, keep));
}

/** Asks the origins for a JSON document (`/info`, a graph's check before it is published). */
export function askOriginsForJson(job: OriginJob, config: EdgeConfig): Promise<unknown> {
  return runOnOrigins(job, config, readJson);
}
