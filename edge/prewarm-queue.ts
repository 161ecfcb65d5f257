import { asImgfloError } from "../shared/errors.ts";
import { configOf, type EdgeConfig } from "./config.ts";
import type { OriginJob } from "./origin-types.ts";
import { renderAndStore } from "./render-and-store.ts";
import { findResult, recordFailure } from "./result-cache.ts";

/** Attempts before a pre-warm job gives up (wrangler.toml's max_retries is a backstop above this). */
export const PREWARM_ATTEMPTS = 5;
const FIRST_RETRY_DELAY_S = 5;

export async function enqueuePrewarm(queue: Queue, job: OriginJob): Promise<void> {
  await queue.send(job);
}

/** Exponential backoff: 5 s, 10 s, 20 s, 40 s. */
export function retryDelaySeconds(attempts: number): number {
  return FIRST_RETRY_DELAY_S * 2 ** (attempts - 1);
}

async function prewarm(
  message: Message<OriginJob>,
  env: Env,
  config: EdgeConfig,
  ctx: ExecutionContext,
): Promise<void> {
  const job = message.body;
  try {
    if (!(await findResult(env.CACHE, job.cacheKey))) await renderAndStore(env, config, ctx, job);
    message.ack();
  } catch (thrown) {
    const error = asImgfloError(thrown);
    // Under the id of the POST that queued it, as the origin logged the render.
    console.warn({
      msg: "pre-warm failed",
      requestId: job.requestId,
      cacheKey: job.cacheKey,
      attempts: message.attempts,
      error: { code: error.code, message: error.message },
    });
    // 4xx failures were recorded by renderAndStore and will not change on retry.
    if (error.status < 500) {
      message.ack();
    } else if (message.attempts < PREWARM_ATTEMPTS) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    } else {
      // Recorded so the 202's Location answers with the error; processing URLs replay 4xx only.
      await recordFailure(env.CACHE, job.cacheKey, error, config.failureTtlMs);
      message.ack();
    }
  }
}

/** The queue consumer: renders and stores each pre-warm job that is not cached yet. */
export async function consumePrewarmBatch(
  batch: MessageBatch<OriginJob>,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const config = configOf(env);
  await Promise.all(batch.messages.map((message) => prewarm(message, env, config, ctx)));
}
