import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ImgfloError } from "../shared/errors.ts";
import { CACHE_KEY_HEADER, PUBLIC_BASE_HEADER } from "../shared/origin-headers.ts";
import type { EdgeConfig } from "./config.ts";
import type { OriginImage, OriginJob } from "./origin-types.ts";
import { originsFor, renderOnOrigins, rendezvousOrder } from "./origins.ts";

const keys = Array.from({ length: 2000 }, (_, i) => i.toString(16).padStart(64, "0"));
const ORIGINS = ["http://a.internal:8080", "http://b.internal:8080", "http://c.internal:8080"];

describe("rendezvousOrder", () => {
  it("orders every origin, the same way every time", () => {
    for (const key of keys.slice(0, 50)) {
      const order = rendezvousOrder(ORIGINS, key);
      expect([...order].sort()).toEqual(ORIGINS);
      expect(rendezvousOrder([...ORIGINS].reverse(), key)).toEqual(order);
    }
  });

  it("spreads keys evenly and moves only the removed origin's keys", () => {
    const first = keys.map((key) => rendezvousOrder(ORIGINS, key)[0]);
    for (const origin of ORIGINS) {
      const share = first.filter((chosen) => chosen === origin).length / keys.length;
      expect(share).toBeGreaterThan(0.28);
      expect(share).toBeLessThan(0.39);
    }
    const remaining = ORIGINS.slice(1);
    keys.forEach((key, i) => {
      const before = rendezvousOrder(ORIGINS, key);
      const after = rendezvousOrder(remaining, key);
      if (first[i] !== ORIGINS[0]) expect(after[0]).toBe(first[i]);
      expect(after).toEqual(before.filter((origin) => origin !== ORIGINS[0]));
    });
  });
});

describe("originsFor", () => {
  // A stand-in namespace: only the order of the names matters here (edge/fleet-origins.integration.test.ts runs the fleet in workerd).
  const fleet = { namespace: {} as Env["RENDER_FLEET"], instances: 3 };
  const base = {
    originSecret: "",
    adminToken: "",
    publicUrl: "https://edge.test",
    allowUnsigned: true,
    r2PublicUrl: null,
    failureTtlMs: 1,
    originTimeoutMs: 1,
  };

  it("orders the fleet's named instances by the cache key, the same way every time", () => {
    for (const key of keys.slice(0, 20)) {
      const names = originsFor({ ...base, originUrls: [], fleet }, key).map(({ name }) => name);
      expect([...names].sort()).toEqual(["render-0", "render-1", "render-2"]);
      expect(originsFor({ ...base, originUrls: [], fleet }, key).map(({ name }) => name)).toEqual(
        names,
      );
    }
  });

  it("uses ORIGIN_URLS instead of the fleet when both are configured", () => {
    const origins = originsFor({ ...base, originUrls: ORIGINS, fleet }, keys[0] as string);
    expect(origins.map(({ name }) => name).sort()).toEqual([...ORIGINS].sort());
  });
});

describe("renderOnOrigins", () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  /** A loopback origin; resolves to its base URL and a counter of the requests it received. */
  async function origin(handle: (request: IncomingMessage, response: ServerResponse) => void) {
    const hits = { count: 0, authorization: "", publicBase: "", path: "" };
    const server = createServer((request, response) => {
      hits.count++;
      hits.authorization = request.headers.authorization ?? "";
      hits.publicBase = String(request.headers[PUBLIC_BASE_HEADER]);
      hits.path = request.url ?? "";
      handle(request, response);
    });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
  }

  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  /** The key of the last job(): what a well-behaved origin says it rendered. */
  let renderedKey = "";
  const png = (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, {
      "content-type": "image/png",
      "content-length": PNG.length,
      [CACHE_KEY_HEADER]: renderedKey,
    });
    response.end(PNG);
  };
  /** Announces a 1 MB PNG, sends part of it, then drops the connection. */
  const brokenOff = (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { "content-type": "image/png", "content-length": 1_000_000 });
    response.write(Buffer.alloc(100_000), () => response.destroy());
  };
  /** What the edge does with an answer, reduced to reading it whole. */
  const keep = async ({ body, format }: OriginImage) => ({
    format,
    bytes: await new Response(body).arrayBuffer(),
  });
  const status = (code: number) => (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(code, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: `status ${code}`, code: `status-${code}` }));
  };
  const config = (originUrls: string[], originTimeoutMs = 5000): EdgeConfig => ({
    originUrls,
    fleet: null,
    originSecret: "shh",
    adminToken: "",
    publicUrl: "https://edge.test",
    allowUnsigned: true,
    r2PublicUrl: null,
    failureTtlMs: 600_000,
    originTimeoutMs,
  });
  const job = (originUrls: string[]): OriginJob => {
    // A key whose preferred origin is the first one given, so tests read in order of preference.
    const cacheKey = keys.find((key) =>
      rendezvousOrder(originUrls, key).every((origin, i) => origin === originUrls[i]),
    );
    renderedKey = cacheKey as string;
    return {
      cacheKey: cacheKey as string,
      path: "/graph/canvas.png?color=red",
      publicBase: "https://edge.test",
      requestId: "origins-request-1",
    };
  };

  it("asks the preferred origin with the credentials, the path and the public base", async () => {
    const good = await origin(png);
    const rendered = await renderOnOrigins(job([good.url]), config([good.url]), keep);
    expect(rendered.format).toBe("png");
    expect(rendered.bytes.byteLength).toBe(4);
    expect(good.hits).toEqual({
      count: 1,
      authorization: "Bearer shh",
      publicBase: "https://edge.test",
      path: "/graph/canvas.png?color=red",
    });
  });

  it("fails over on 502, 503, a refused connection and a timeout", async () => {
    const bad = await origin(status(502));
    const busy = await origin(status(503));
    const slow = await origin((request, response) =>
      setTimeout(() => png(request, response), 2000),
    );
    const good = await origin(png);
    const refused = "http://127.0.0.1:9";
    const urls = [bad.url, busy.url, refused, slow.url, good.url];
    const rendered = await renderOnOrigins(job(urls), config(urls, 300), keep);
    expect(rendered.format).toBe("png");
    expect([bad.hits.count, busy.hits.count, slow.hits.count, good.hits.count]).toEqual([
      1, 1, 1, 1,
    ]);
  });

  it("fails over when an origin breaks off mid-body or does not announce the length", async () => {
    const broken = await origin(brokenOff);
    const chunked = await origin((_request, response) => {
      response.writeHead(200, { "content-type": "image/png" });
      response.end(PNG);
    });
    const good = await origin(png);
    const urls = [broken.url, chunked.url, good.url];
    const rendered = await renderOnOrigins(job(urls), config(urls), keep);
    expect(new Uint8Array(rendered.bytes)).toEqual(new Uint8Array(PNG));
    expect([broken.hits.count, chunked.hits.count, good.hits.count]).toEqual([1, 1, 1]);
  });

  it("passes the keeper's own failure on without trying another origin", async () => {
    const first = await origin(png);
    const second = await origin(png);
    const urls = [first.url, second.url];
    const failing = async () => {
      throw new Error("R2 is down");
    };
    await expect(renderOnOrigins(job(urls), config(urls), failing)).rejects.toThrow("R2 is down");
    expect([first.hits.count, second.hits.count]).toEqual([1, 0]);
  });

  it("passes a request's own error on without trying another origin", async () => {
    const refusing = await origin(status(415));
    const good = await origin(png);
    const urls = [refusing.url, good.url];
    const error = await renderOnOrigins(job(urls), config(urls), keep).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ImgfloError);
    expect(error).toMatchObject({ status: 415, code: "status-415" });
    expect(good.hits.count).toBe(0);
  });

  it("never passes on an origin's transport or crash status as the request's error", async () => {
    const headerLimit = await origin((_request, response) => {
      response.writeHead(431, { connection: "close" });
      response.end();
    });
    const crashed = await origin(status(500));
    const urls = [headerLimit.url, crashed.url];
    const error = await renderOnOrigins(job(urls), config(urls), keep).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ status: 502, code: "origin-failed" });
    expect((error as Error).message).toContain("origin 1 answered 431, origin 2 answered 500");
  });

  it("refuses bytes an origin rendered for another cache key (another catalogue version)", async () => {
    const otherCatalogue = await origin((request, response) => {
      renderedKey = "f".repeat(64);
      png(request, response);
    });
    const urls = [otherCatalogue.url];
    const error = await renderOnOrigins(job(urls), config(urls), keep).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ status: 502, code: "origin-failed" });
    expect((error as Error).message).toContain("another cache key");
  });

  it("answers 502 when no origin renders", async () => {
    const busy = await origin(status(503));
    const urls = [busy.url, "http://127.0.0.1:9"];
    const error = await renderOnOrigins(job(urls), config(urls), keep).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ status: 502, code: "origin-failed" });
    expect((error as Error).message).toContain("origin 1 answered 503, origin 2 unreachable");
  });
});
