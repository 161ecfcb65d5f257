import { asImgfloError, type ImgfloError, isImgfloError } from "../shared/errors.ts";
import { chargeRender, refundRender } from "./access.ts";
import type { EdgeConfig } from "./config.ts";
import type { OriginJob } from "./origin-types.ts";
import { findFailure, recordFailure } from "./result-cache.ts";

/**
 * The one owner of what a job on the origins (a render, an `/info`) costs and how its failure is
 * remembered: one quota unit charged as it starts and given back when it fails, and a failure
 * that is the request's fault (4xx) replayed until it expires instead of run again.
 */

/** The payer had no quota left, so the job never started. */
export class NotStarted extends Error {
  constructor(readonly refusal: ImgfloError) {
    super(refusal.message);
  }
}

/** A 4xx is the request's fault and will not change on retry: replay it instead of running again. */
function isReplayed(error: unknown): error is ImgfloError {
  return isImgfloError(error) && error.status >= 400 && error.status < 500;
}

/** The recorded failure to answer a cache key with, while it lasts; null: run the job. */
export async function replayedFailure(
  bucket: R2Bucket,
  cacheKey: string,
): Promise<ImgfloError | null> {
  const failure = await findFailure(bucket, cacheKey);
  return failure && failure.status < 500 ? failure : null;
}

/**
 * Runs `run` as the job's paid run: charged first (NotStarted when the payer has no quota), given
 * back and, for a 4xx, recorded for replay (then `replayRecorded`) when it fails.
 */
export async function runPaidJob<T>(
  env: Env,
  config: EdgeConfig,
  job: OriginJob,
  run: () => Promise<T>,
  replayRecorded: () => Promise<void> = async () => undefined,
): Promise<T> {
  const payer = job.payer ?? null;
  await chargeRender(env.DB, payer).catch((error: unknown) => {
    throw new NotStarted(asImgfloError(error));
  });
  try {
    return await run();
  } catch (error) {
    await refundRender(env.DB, payer);
    if (isReplayed(error)) {
      await recordFailure(env.CACHE, job.cacheKey, error, config.failureTtlMs);
      await replayRecorded();
    }
    throw error;
  }
}
