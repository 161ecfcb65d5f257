import { describe, expect, it } from "vitest";
import { type QueueOptions, RenderQueue, type WithSlot } from "./render-queue.ts";

const later = <T>(value: T, ms = 20) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

const queueOf = <R>(options: Partial<QueueOptions>) =>
  new RenderQueue<R>({
    concurrency: 2,
    maxQueue: 10,
    memoryBudget: 1000,
    renderTimeoutMs: 10_000,
    ...options,
  });

describe("RenderQueue", () => {
  it("shares one run between identical requests in flight", async () => {
    const queue = queueOf<string>({});
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
    const queue = queueOf<number>({});
    let active = 0;
    let peak = 0;
    const job = (withSlot: WithSlot) =>
      withSlot(1, async () => {
        active++;
        peak = Math.max(peak, active);
        await later(0, 10);
        active--;
        return peak;
      });
    await Promise.all(Array.from({ length: 6 }, (_, i) => queue.run(`k${i}`, job)));
    expect(peak).toBe(2);
  });

  it("knows when a render in a slot is alone", async () => {
    const queue = queueOf<boolean>({ concurrency: 1 });
    const alone = (withSlot: WithSlot) => withSlot(1, async () => later(queue.alone(), 10));
    expect(await queue.run("one", alone)).toBe(true);
    // The second waits for the first's slot: neither is alone while the other is there.
    const both = await Promise.all([queue.run("a", alone), queue.run("b", alone)]);
    expect(both).toEqual([false, true]);
  });

  it("answers 503 with Retry-After once maxQueue requests wait", async () => {
    const queue = queueOf<string>({ concurrency: 1, maxQueue: 1 });
    const job = (withSlot: WithSlot) => withSlot(1, () => later("ok", 30));
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

  it("does not count jobs still fetching their input as waiting", async () => {
    const queue = queueOf<string>({ concurrency: 1, maxQueue: 1 });
    let answer: (value: string) => void = () => {};
    const input = new Promise<string>((resolve) => {
      answer = resolve;
    });
    // Many jobs whose input never comes (until the end) hold nothing a render needs.
    const fetching = Array.from({ length: 5 }, (_, i) =>
      queue.run(`slow${i}`, async (withSlot) => {
        const value = await input;
        return withSlot(1, async () => value);
      }),
    );
    const generator = (withSlot: WithSlot) => withSlot(1, () => later("rendered", 1));
    await expect(queue.run("generator", generator)).resolves.toBe("rendered");
    expect(queue.stats()).toMatchObject({ waiting: 0, inFlight: 5 });
    answer("late");
    const settled = await Promise.allSettled(fetching);
    expect(settled.filter((result) => result.status === "fulfilled").length).toBeGreaterThan(0);
  });

  it("admits renders against the memory budget: two large ones run one after the other", async () => {
    const queue = queueOf<string>({ concurrency: 2, memoryBudget: 1000 });
    const running: string[] = [];
    let overlap = false;
    const job = (name: string, bytes: number) => (withSlot: WithSlot) =>
      withSlot(bytes, async () => {
        running.push(name);
        if (running.length > 1) overlap = true;
        await later(null, 10);
        running.splice(running.indexOf(name), 1);
        return name;
      });
    const first = queue.run("large1", job("large1", 700));
    const second = queue.run("large2", job("large2", 700));
    await later(null, 2);
    expect(queue.stats().memory).toEqual({ budget: 1000, admitted: 700, waiting: 1 });
    await expect(Promise.all([first, second])).resolves.toEqual(["large1", "large2"]);
    expect(overlap).toBe(false);
    // Small ones share the budget; one larger than all of it still runs, alone.
    const small = await Promise.all([
      queue.run("s1", job("s1", 400)),
      queue.run("s2", job("s2", 400)),
    ]);
    expect(small).toEqual(["s1", "s2"]);
    expect(overlap).toBe(true);
    await expect(queue.run("huge", job("huge", 5000))).resolves.toBe("huge");
    expect(queue.stats().memory).toEqual({ budget: 1000, admitted: 0, waiting: 0 });
  });

  it("shares failures too, and forgets them once settled", async () => {
    const queue = queueOf<string>({ concurrency: 1, maxQueue: 5 });
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
