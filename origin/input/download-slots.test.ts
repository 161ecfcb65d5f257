import { describe, expect, it } from "vitest";
import { DownloadSlots } from "./download-slots.ts";

/** A download that finishes when told to. */
function pending() {
  let finish: () => void = () => {};
  const done = new Promise<string>((resolve) => {
    finish = () => resolve("done");
  });
  return { finish, download: () => done };
}

const never = () => new AbortController().signal;

describe("DownloadSlots", () => {
  it("runs perHost downloads from one host, queues as many, refuses the rest with 503", async () => {
    const slots = new DownloadSlots({ total: 10, perHost: 2 });
    const stalled = pending();
    const admitted = Array.from({ length: 4 }, () =>
      slots.run("stalled.example", never(), stalled.download),
    );
    expect(slots.stats()).toMatchObject({ active: 2, waiting: 2 });
    await expect(slots.run("stalled.example", never(), stalled.download)).rejects.toMatchObject({
      status: 503,
      code: "overloaded",
      details: { retryAfter: expect.any(Number) },
    });
    // Another host is not held up by the stalled one.
    await expect(slots.run("other.example", never(), async () => "other")).resolves.toBe("other");
    stalled.finish();
    await expect(Promise.all(admitted)).resolves.toHaveLength(4);
    expect(slots.stats()).toEqual({ active: 0, waiting: 0, rejected: 1 });
  });

  it("bounds the downloads of all hosts together, first come first served", async () => {
    const slots = new DownloadSlots({ total: 2, perHost: 2 });
    const held = pending();
    const first = [slots.run("a", never(), held.download), slots.run("b", never(), held.download)];
    const order: string[] = [];
    const queued = ["c", "d"].map((host) =>
      slots.run(host, never(), async () => {
        order.push(host);
        return host;
      }),
    );
    await expect(slots.run("e", never(), held.download)).rejects.toMatchObject({ status: 503 });
    held.finish();
    await Promise.all([...first, ...queued]);
    expect(order).toEqual(["c", "d"]);
  });

  it("gives up waiting when the download's deadline passes", async () => {
    const slots = new DownloadSlots({ total: 1, perHost: 1 });
    const held = pending();
    const first = slots.run("a", never(), held.download);
    const deadline = new AbortController();
    const waiting = slots.run("a", deadline.signal, async () => "late");
    deadline.abort(new Error("deadline"));
    await expect(waiting).rejects.toThrow("deadline");
    expect(slots.stats()).toMatchObject({ active: 1, waiting: 0 });
    held.finish();
    await first;
  });
});
