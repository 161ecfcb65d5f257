import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureObjectName, resultObjectName } from "../shared/cache-key.ts";
import type { OriginJob } from "./origin-types.ts";
import { consumePrewarmBatch, PREWARM_ATTEMPTS, retryDelaySeconds } from "./prewarm-queue.ts";

/** The part of R2 the consumer uses, in memory. */
function memoryBucket() {
  const objects = new Map<string, { body: string; customMetadata: Record<string, string> }>();
  const bucket = {
    objects,
    async head(name: string) {
      const object = objects.get(name);
      return object ? { customMetadata: object.customMetadata } : null;
    },
    async get(name: string) {
      const object = objects.get(name);
      return object
        ? { customMetadata: object.customMetadata, json: async () => JSON.parse(object.body) }
        : null;
    },
    async put(
      name: string,
      body: string | ArrayBuffer,
      options: { customMetadata: Record<string, string> },
    ) {
      objects.set(name, {
        body: typeof body === "string" ? body : "<bytes>",
        customMetadata: options.customMetadata,
      });
    },
    async delete(name: string) {
      objects.delete(name);
    },
  };
  return bucket;
}

function message(job: OriginJob, attempts: number) {
  const outcome: { acked: boolean; retryDelay: number | null } = { acked: false, retryDelay: null };
  const value = {
    body: job,
    attempts,
    ack: () => {
      outcome.acked = true;
    },
    retry: (options: { delaySeconds: number }) => {
      outcome.retryDelay = options.delaySeconds;
    },
  };
  return { value, outcome };
}

let refusing: Server;
let refusingUrl: string;

beforeAll(async () => {
  refusing = createServer((_request, response) => {
    response.writeHead(415, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: "Not an image.", code: "unsupported-input" }));
  });
  refusing.listen(0, "127.0.0.1");
  await new Promise((resolve) => refusing.once("listening", resolve));
  refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
});

afterAll(() => {
  refusing.close();
});

async function consume(originUrls: string, attempts: number, bucket = memoryBucket()) {
  const job: OriginJob = {
    cacheKey: "a".repeat(64),
    path: "/graph/canvas.png",
    publicBase: "https://edge.test",
    requestId: "prewarm-request-1",
  };
  const { value, outcome } = message(job, attempts);
  const env = {
    CACHE: bucket,
    ORIGIN_URLS: originUrls,
    ORIGIN_SECRET: "shh",
    PUBLIC_URL: "https://edge.test",
    FAILURE_TTL_S: "60",
  } as unknown as Env;
  const ctx = { waitUntil: () => undefined } as unknown as ExecutionContext;
  await consumePrewarmBatch({ messages: [value] } as unknown as MessageBatch<OriginJob>, env, ctx);
  return { outcome, bucket, job };
}

describe("the pre-warm consumer", () => {
  it("backs off exponentially while the origins are down", async () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([5, 10, 20, 40]);
    const { outcome, bucket } = await consume("http://127.0.0.1:9", 2);
    expect(outcome).toEqual({ acked: false, retryDelay: 10 });
    expect(bucket.objects.size).toBe(0);
  });

  it("records the failure when the last attempt fails, so the 202's Location answers it", async () => {
    const { outcome, bucket, job } = await consume("http://127.0.0.1:9", PREWARM_ATTEMPTS);
    expect(outcome).toEqual({ acked: true, retryDelay: null });
    expect(bucket.objects.get(failureObjectName(job.cacheKey))?.customMetadata.status).toBe("502");
  });

  it("records a 4xx at once and does not retry it", async () => {
    const { outcome, bucket, job } = await consume(refusingUrl, 1);
    expect(outcome).toEqual({ acked: true, retryDelay: null });
    expect(bucket.objects.get(failureObjectName(job.cacheKey))?.customMetadata.status).toBe("415");
  });

  it("skips a job whose result is already stored", async () => {
    const bucket = memoryBucket();
    await bucket.put(resultObjectName("a".repeat(64)), new ArrayBuffer(1), {
      customMetadata: { format: "png" },
    });
    const { outcome } = await consume("http://127.0.0.1:9", 1, bucket);
    expect(outcome).toEqual({ acked: true, retryDelay: null });
  });
});
