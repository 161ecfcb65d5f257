import { describe, expect, it } from "vitest";
import { RenderQueue } from "./render-queue.ts";

const later = <T>(value: T, ms = 20) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe("RenderQueue", () => {
  it("shares one run between identical requests in flight", async () => {
    const queue = new RenderQueue<string>({ concurrency: 2, maxQueue: 10 });
    let runs = 0;
    const job = () => {
      runs++;
      return later("done");
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => queue.run("same", job)));
    expect(results).toEqual(["done", "done", "done", "done", "done"]);
    expect(runs).toBe(1);
    expect(queue.stats().counters).toMatchObject({ started: 1, deduplicated: 4, completed: 1 });
    await queue.run("same", job);
    expect(runs).toBe(2);
  });

  it("bounds concurrent slots", async () => {
    const queue = new RenderQueue<number>({ concurrency: 2, maxQueue: 10 });
    let active = 0;
    let peak = 0;
    const job = (withSlot: <T>(work: () => Promise<T>) => Promise<T>) =>
      withSlot(async () => {
        active++;
        peak = Math.max(peak, active);
        await later(0, 10);
        active--;
        return peak;
      });
    await Promise.all(Array.from({ length: 6 }, (_, i) => queue.run(`k${i}`, job)));
    expect(peak).toBe(2);
  });

  it("answers 503 with Retry-After once maxQueue requests wait", async () => {
    const queue = new RenderQueue<string>({ concurrency: 1, maxQueue: 1 });
    const job = (withSlot: <T>(work: () => Promise<T>) => Promise<T>) =>
      withSlot(() => later("ok", 30));
    const first = queue.run("a", job);
    await later(null, 1);
    const second = queue.run("b", job);
    const third = queue.run("c", job);
    await expect(third).rejects.toMatchObject({
      status: 503,
      code: "overloaded",
      details: { retryAfter: expect.any(Number) },
    });
    await expect(Promise.all([first, second])).resolves.toEqual(["ok", "ok"]);
    expect(queue.stats().counters.rejected).toBe(1);
  });

  it("shares failures too, and forgets them once settled", async () => {
    const queue = new RenderQueue<string>({ concurrency: 1, maxQueue: 5 });
    const failing = () => later(null).then(() => Promise.reject(new Error("boom")));
    const both = [queue.run("x", failing), queue.run("x", failing)];
    for (const result of both) await expect(result).rejects.toThrow("boom");
    expect(queue.stats()).toMatchObject({
      inFlight: 0,
      waiting: 0,
      counters: { failed: 1, deduplicated: 1 },
    });
  });
});
