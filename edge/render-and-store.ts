import { isImgfloError } from "../shared/errors.ts";
import type { EdgeConfig } from "./config.ts";
import { type RenderJob, renderOnCluster } from "./origin-cluster.ts";
import { type CachedResult, recordFailure, storeResult } from "./result-cache.ts";

/** A result just rendered and stored, with the origin's `Server-Timing`. */
export interface RenderedResult extends CachedResult {
  serverTiming: string | null;
}

/** Renders in flight in this isolate: identical misses share one origin call and one store. */
const inflight = new Map<string, Promise<RenderedResult>>();

async function render(env: Env, config: EdgeConfig, job: RenderJob): Promise<RenderedResult> {
  try {
    return await renderOnCluster(job, config, async (rendered) => ({
      ...(await storeResult(env.CACHE, job.cacheKey, rendered)),
      serverTiming: rendered.serverTiming,
    }));
  } catch (error) {
    // A 4xx is the request's fault and will not change on retry: replay it instead of re-rendering.
    if (isImgfloError(error) && error.status >= 400 && error.status < 500) {
      await recordFailure(env.CACHE, job.cacheKey, error, config.failureTtlMs);
    }
    throw error;
  }
}

/** Renders a cache miss on the origin cluster and stores the result in R2. */
export function renderAndStore(
  env: Env,
  config: EdgeConfig,
  ctx: Pick<ExecutionContext, "waitUntil">,
  job: RenderJob,
): Promise<RenderedResult> {
  let pending = inflight.get(job.cacheKey);
  if (!pending) {
    pending = render(env, config, job).finally(() => inflight.delete(job.cacheKey));
    inflight.set(job.cacheKey, pending);
    // The store must finish even if the client that caused it goes away.
    ctx.waitUntil(pending.catch(() => undefined));
  }
  return pending;
}
