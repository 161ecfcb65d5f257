import { once } from "node:events";
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FIXTURE_IMAGES_DIR,
  type FixtureServer,
  startFixtureServer,
} from "../../test/harness/fixture-server.ts";
import { freePort } from "../../test/harness/origin.ts";
import { type AddressPolicy, anyAddress, isPublicAddress } from "./address-policy.ts";
import { type FetchInputOptions, InputFetcher } from "./fetch-input.ts";

let fixtures: FixtureServer;
const fetchers: InputFetcher[] = [];

function fetcher(options: Partial<FetchInputOptions> = {}): InputFetcher {
  const created = new InputFetcher({
    maxBytes: 1_000_000,
    timeoutMs: 2000,
    addressPolicy: anyAddress,
    userAgent: "imgflo-server-test",
    limits: { total: 16, perHost: 4 },
    ...options,
  });
  fetchers.push(created);
  return created;
}

const get = (path: string, options?: Partial<FetchInputOptions>) =>
  fetcher(options).fetch(new URL(fixtures.at(path)));

beforeAll(async () => {
  fixtures = await startFixtureServer();
});

afterAll(async () => {
  for (const created of fetchers) created.close();
  await fixtures.close();
});

describe("InputFetcher", () => {
  it("returns the body whatever Content-Type the server claims", async () => {
    const right = await get("images/gridbear.jpg");
    const wrong = await get("images/gridbear.jpg?type=text/html");
    const none = await get("images/gridbear.jpg:large?type=none");
    expect(right.length).toBe(14969);
    expect(wrong.equals(right)).toBe(true);
    expect(none.equals(right)).toBe(true);
  });

  it("follows up to 5 redirects, not 6", async () => {
    const target = encodeURIComponent(fixtures.at("images/gridbear.jpg"));
    await expect(get(`redirect?hops=5&to=${target}`)).resolves.toHaveLength(14969);
    await expect(get(`redirect?hops=6&to=${target}`)).rejects.toMatchObject({
      status: 504,
      message: expect.stringMatching(/more than 5 redirects/),
    });
  });

  it("answers 504 for non-2xx answers and unreachable hosts", async () => {
    await expect(get("status/404")).rejects.toMatchObject({
      status: 504,
      message: expect.stringMatching(/status 404/),
    });
    await expect(get("images/gridbear.jpg?status=500")).rejects.toMatchObject({ status: 504 });
    const closed = `http://127.0.0.1:${await freePort()}/x.png`;
    await expect(fetcher().fetch(new URL(closed))).rejects.toMatchObject({
      status: 504,
      message: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it("answers 504 when the whole download takes longer than the deadline", async () => {
    const started = performance.now();
    await expect(get("stall", { timeoutMs: 300 })).rejects.toMatchObject({
      status: 504,
      code: "input-unreachable",
      message: expect.stringMatching(/0.3 s/),
    });
    await expect(get("images/gridbear.jpg?delay=1000", { timeoutMs: 300 })).rejects.toMatchObject({
      status: 504,
    });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("stops reading past the byte limit: 413", async () => {
    await expect(get("bytes/2000", { maxBytes: 1000 })).rejects.toMatchObject({
      status: 413,
      code: "input-too-large",
    });
    await expect(get("bytes/2000?chunked=1", { maxBytes: 1000 })).rejects.toMatchObject({
      status: 413,
    });
    await expect(get("bytes/1000", { maxBytes: 1000 })).resolves.toHaveLength(1000);
  });

  it("refuses private addresses, whether literal or resolved: 403 input-forbidden", async () => {
    const forbidden = { status: 403, code: "input-forbidden" };
    const port = new URL(fixtures.url).port;
    const before = fixtures.hits("/images/gridbear.jpg");
    for (const host of [
      "127.0.0.1",
      "localhost",
      "[::1]",
      "[::ffff:127.0.0.1]",
      "169.254.169.254",
      "10.0.0.1",
    ]) {
      const url = new URL(`http://${host}:${port}/images/gridbear.jpg`);
      await expect(fetcher({ addressPolicy: isPublicAddress }).fetch(url)).rejects.toMatchObject(
        forbidden,
      );
    }
    expect(fixtures.hits("/images/gridbear.jpg")).toBe(before);
  });

  it("checks every redirect hop again, at the address connected to", async () => {
    // Allows only the first address it is asked about: a host that turns private on a later hop.
    const firstOnly = (): AddressPolicy => {
      let calls = 0;
      return () => calls++ === 0;
    };
    const port = new URL(fixtures.url).port;
    for (const target of [
      `http://localhost:${port}/images/gridbear.jpg`,
      `http://127.0.0.2:${port}/images/gridbear.jpg`,
    ]) {
      const hits = fixtures.hits("/images/gridbear.jpg");
      await expect(
        get(`redirect?to=${encodeURIComponent(target)}`, { addressPolicy: firstOnly() }),
      ).rejects.toMatchObject({
        status: 403,
        code: "input-forbidden",
      });
      expect(fixtures.hits("/images/gridbear.jpg")).toBe(hits);
    }
  });

  it("retries once when a kept-alive connection turns out to be closed", async () => {
    const body = readFileSync(join(FIXTURE_IMAGES_DIR, "gridbear.jpg"));
    const answer = Buffer.concat([
      Buffer.from(
        `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`,
      ),
      body,
    ]);
    // Each connection answers its first request and resets on the next, like a server whose
    // keep-alive timeout fires just as the connection is reused.
    const server = createServer((socket) => {
      let requests = 0;
      socket.on("data", () => {
        if (requests++ === 0) socket.write(answer);
        else socket.resetAndDestroy();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/a.jpg`);
    const reusing = fetcher();
    try {
      await expect(reusing.fetch(url)).resolves.toHaveLength(body.length);
      await expect(reusing.fetch(url)).resolves.toHaveLength(body.length);
    } finally {
      server.close();
    }
  });

  it("bounds downloads per host, except from the server itself (chained requests)", async () => {
    const limited = fetcher({ limits: { total: 4, perHost: 1 } });
    const stalled = limited.fetch(new URL(fixtures.at("images/gridbear.jpg?delay=400")));
    const queued = limited.fetch(new URL(fixtures.at("images/gridbear.jpg?delay=1")));
    await expect(
      limited.fetch(new URL(fixtures.at("images/gridbear.jpg?third"))),
    ).rejects.toMatchObject({ status: 503, code: "overloaded" });
    expect(limited.stats()).toMatchObject({ active: 1, waiting: 1 });
    await expect(
      limited.fetch(new URL(fixtures.at("images/gridbear.jpg?own")), { pooled: false }),
    ).resolves.toHaveLength(14969);
    await expect(Promise.all([stalled, queued])).resolves.toHaveLength(2);
    expect(limited.stats()).toEqual({ active: 0, waiting: 0, rejected: 1 });
  });

  it("does not follow redirects to other schemes", async () => {
    await expect(
      get(`redirect?to=${encodeURIComponent("file:///etc/passwd")}`),
    ).rejects.toMatchObject({ status: 504 });
  });

  it("answers a URL downloaded within the cache TTL from the cache, and only that URL", async () => {
    const cached = fetcher({ cache: { ttlMs: 60_000, maxBytes: 1_000_000 } });
    const url = new URL(fixtures.at("images/gridbear.jpg?cached"));
    const before = fixtures.hits("/images/gridbear.jpg");
    const first = await cached.fetch(url);
    expect((await cached.fetch(url)).equals(first)).toBe(true);
    expect(fixtures.hits("/images/gridbear.jpg") - before).toBe(1);
    await cached.fetch(new URL(fixtures.at("images/gridbear.jpg?other")));
    expect(fixtures.hits("/images/gridbear.jpg") - before).toBe(2);
  });

  it("downloads a URL asked for again while it downloads once, with the cache on", async () => {
    const cached = fetcher({ cache: { ttlMs: 60_000, maxBytes: 1_000_000 } });
    const url = new URL(fixtures.at("images/gridbear.jpg?together"));
    const before = fixtures.hits("/images/gridbear.jpg");
    const all = await Promise.all(Array.from({ length: 8 }, () => cached.fetch(url)));
    expect(fixtures.hits("/images/gridbear.jpg") - before).toBe(1);
    expect(all.every((bytes) => bytes.equals(all[0] as Buffer))).toBe(true);
    const failing = fetcher({ maxBytes: 1000, cache: { ttlMs: 60_000, maxBytes: 1_000_000 } });
    const failures = await Promise.allSettled([failing.fetch(url), failing.fetch(url)]);
    expect(failures.map((failure) => failure.status)).toEqual(["rejected", "rejected"]);
    expect(fixtures.hits("/images/gridbear.jpg") - before).toBe(2);
  });

  it("downloads every time without a cache, and keeps no failed download", async () => {
    const url = new URL(fixtures.at("images/gridbear.jpg?uncached"));
    const before = fixtures.hits("/images/gridbear.jpg");
    const plain = fetcher({ cache: { ttlMs: 0, maxBytes: 1_000_000 } });
    await plain.fetch(url);
    await plain.fetch(url);
    expect(fixtures.hits("/images/gridbear.jpg") - before).toBe(2);
    const cached = fetcher({ maxBytes: 1000, cache: { ttlMs: 60_000, maxBytes: 1_000_000 } });
    for (let i = 0; i < 2; i++)
      await expect(cached.fetch(url)).rejects.toMatchObject({ code: "input-too-large" });
    expect(fixtures.hits("/images/gridbear.jpg") - before).toBe(4);
  });
});
