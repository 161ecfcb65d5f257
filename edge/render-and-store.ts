import { extensionOf } from "../shared/formats.ts";
import { refundRender } from "./access.ts";
import type { EdgeConfig } from "./config.ts";
import { indexResult } from "./db/stored-results.ts";
import type { OriginJob } from "./origin-types.ts";
import { renderOnOrigins } from "./origins.ts";
import { NotStarted, runPaidJob } from "./paid-job.ts";
import { type CachedResult, storeResult } from "./result-cache.ts";

/** A result just rendered and stored, with the origin's `Server-Timing`. */
export interface StoredRender extends CachedResult {
  serverTiming: string | null;
}

/** Renders in flight in this isolate: identical misses share one origin call, one store and one quota unit. */
const inflight = new Map<string, Promise<StoredRender>>();

/**
 * Renders on the origins and streams the result into R2, paid for by the job's payer; whether
 * the origin shared a render already in flight.
 */
async function renderThenStore(
  env: Env,
  config: EdgeConfig,
  job: OriginJob,
): Promise<{ result: StoredRender; shared: boolean }> {
  const stored = await runPaidJob(
    env,
    config,
    job,
    () =>
      renderOnOrigins(job, config, async (rendered) => ({
        result: {
          ...(await storeResult(env.CACHE, job.cacheKey, rendered)),
          serverTiming: rendered.serverTiming,
        },
        shared: rendered.shared,
      })),
    // A replayed failure is purgeable by input like a result.
    () => indexForPurges(env, job, null),
  );
  await indexForPurges(env, job, extensionOf(stored.result.format));
  return stored;
}

/**
 * Files what was just stored in the purge index. The result itself is whole either way: an index
 * that cannot be written is logged, and the result stays purgeable by its key.
 */
async function indexForPurges(env: Env, job: OriginJob, extension: string | null): Promise<void> {
  if (!job.provenance) return;
  await indexResult(env.DB, job.cacheKey, extension, job.provenance).catch((error: unknown) => {
    console.error({
      msg: "result not indexed for purges",
      requestId: job.requestId,
      cacheKey: job.cacheKey,
      error: String(error),
    });
  });
}

/** One render, one quota unit: charged as it starts, given back when it fails or another paid. */
async function render(env: Env, config: EdgeConfig, job: OriginJob): Promise<StoredRender> {
  const { result, shared } = await renderThenStore(env, config, job);
  // Another isolate's request started this render on the origin and paid for it.
  if (shared) await refundRender(env.DB, job.payer ?? null);
  return result;
}

function start(
  env: Env,
  config: EdgeConfig,
  ctx: Pick<ExecutionContext, "waitUntil">,
  job: OriginJob,
): Promise<StoredRender> {
  const pending = render(env, config, job).finally(() => inflight.delete(job.cacheKey));
  inflight.set(job.cacheKey, pending);
  // The store must finish even if the client that caused it goes away.
  ctx.waitUntil(pending.catch(() => undefined));
  return pending;
}

/** Renders a cache miss on the origins and stores the result in R2; joins one already in flight. */
export async function renderAndStore(
  env: Env,
  config: EdgeConfig,
  ctx: Pick<ExecutionContext, "waitUntil">,
  job: OriginJob,
): Promise<StoredRender> {
  for (;;) {
    const joined = inflight.get(job.cacheKey);
    try {
      return await (joined ?? start(env, config, ctx, job));
    } catch (error) {
      if (!(error instanceof NotStarted)) throw error;
      if (!joined) throw error.refusal;
    }
  }
}
