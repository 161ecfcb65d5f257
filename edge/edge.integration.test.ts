import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewApplication } from "../cli/commands/app.ts";
import { buildProcessingUrl } from "../shared/signed-url.ts";
import {
  freshDatabase,
  originRequestCount,
  type RunningEdge,
  seedApplications,
  startEdge,
} from "../test/harness/edge.ts";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";

// One origin (real GEGL), one Worker in workerd with local D1/R2/Queues, for the whole file.
type ImgfloUrl = (
  config: { server: string; key: string; secret: string },
  graph: string,
  params: Record<string, string | number>,
  format?: string,
) => string;
const imgfloUrl = createRequire(import.meta.url)("imgflo-url") as ImgfloUrl;

const ORIGIN_SECRET = "edge-test-origin-secret";
const CONTRACT_VECTOR =
  "/graph/k1/ad1e5aa542c6036d3f9ea6dc32d51e4d/gradientmap.jpg?color1=%230A2A2F&color2=%23FDE7A0&height=200&input=https%3A%2F%2Fexample.com%2Fa.jpg";

let origin: OriginProcess;
let fixtures: FixtureServer;
let edge: RunningEdge;
let apps: Record<"main" | "other" | "disabled" | "readOnly" | "once", NewApplication>;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  fixtures.add("/not-an-image.png", Buffer.from("<!doctype html><p>hello</p>"), "image/png");
  const [started, persistDir] = await Promise.all([
    startOrigin({ ORIGIN_SECRET, ALLOW_PRIVATE_INPUTS: "1", FETCH_TIMEOUT_MS: "3000" }),
    freshDatabase(),
  ]);
  origin = started;
  const [main, other, disabled, readOnly, once] = await seedApplications(persistDir, [
    { name: "main" },
    { name: "other" },
    { name: "disabled", enabled: false },
    { name: "read-only", quota: 0 },
    { name: "once", quota: 1 },
    // Quota 0: the vector's signature is checked, but its input (example.com) is never fetched.
    { key: "k1", secret: "s3cr3t", name: "contract vector", quota: 0 },
  ]);
  apps = { main, other, disabled, readOnly, once } as typeof apps;
  edge = await startEdge({ originUrls: [origin.url], originSecret: ORIGIN_SECRET, persistDir });
});

afterAll(async () => {
  await edge?.stop();
  await origin?.stop();
  await fixtures?.close();
});

const signed = (
  app: NewApplication,
  graph: string,
  params: Record<string, string | number>,
  format?: string,
) => imgfloUrl({ server: `${edge.url}/`, key: app.key, secret: app.secret }, graph, params, format);
const get = (url: string, init: RequestInit = {}) =>
  fetch(url.startsWith("/") ? `${edge.url}${url}` : url, { redirect: "manual", ...init });
const image = (name: string) => fixtures.at(`images/${name}`);

const originRequests = () => originRequestCount(origin);
/** A signed thumbnail of a fixture image; each width is a different result. */
const thumbnail = (app: NewApplication, width: number) =>
  signed(app, "passthrough", { input: image("gridbear.jpg"), width }, "png");

async function expectError(
  response: Response,
  status: number,
  code: string,
): Promise<Record<string, unknown>> {
  const body = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, code: body.code }).toEqual({ status, code });
  expect(typeof body.error).toBe("string");
  return body;
}

describe("signed URLs", () => {
  it("renders a URL signed by imgflo-url, then serves it from the cache without the origin", async () => {
    const url = thumbnail(apps.main, 120);
    const before = await originRequests();
    const first = await get(url);
    expect(first.status).toBe(301);
    const location = first.headers.get("location") ?? "";
    expect(location).toMatch(/^\/cache\/[0-9a-f]{64}\.png$/);
    expect(await originRequests()).toBe(before + 1);

    const again = await get(url);
    expect(again.status).toBe(301);
    expect(again.headers.get("location")).toBe(location);
    // Another application, the same graph and parameters: the cache key ignores who asked.
    const fromOther = await get(
      signed(apps.other, "passthrough", { width: 120, input: image("gridbear.jpg") }, "png"),
    );
    expect(fromOther.headers.get("location")).toBe(location);
    expect(await originRequests()).toBe(before + 1);

    const result = await get(location);
    expect(result.status).toBe(200);
    expect(result.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await result.arrayBuffer());
    expect([...bytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  it("accepts the contract's test vector (key k1, secret s3cr3t)", async () => {
    // Past the signature, the application may not start a render: the token was accepted.
    await expectError(await get(CONTRACT_VECTOR), 403, "quota-exceeded");
    const tampered = await get(CONTRACT_VECTOR.replace("ad1e5aa5", "ad1e5aa6"));
    await expectError(tampered, 403, "invalid-signature");
  });

  it("verifies against the query as sent, with characters imgflo-url leaves bare", async () => {
    const url = signed(
      apps.main,
      "passthrough",
      { input: `${image("gridbear.jpg")}?it's=(1)*!`, width: 40 },
      "png",
    );
    const path = url.slice(edge.url.length);
    expect(path).toContain("'");
    // fetch() would percent-encode the quote; node:http sends the path byte for byte.
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${edge.url}/`, { path });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.end();
    });
    expect(status).toBe(301);
    expect((await get(url)).status).toBe(301);
  });

  it("refuses a wrong token, an unknown key and a disabled application, even for cached results", async () => {
    const cached = thumbnail(apps.main, 120);
    expect((await get(cached)).status).toBe(301);
    const before = await originRequests();

    const [, , key, token] = new URL(cached).pathname.split("/");
    const wrongToken = cached.replace(`/${token}/`, `/${"0".repeat(32)}/`);
    await expectError(await get(wrongToken), 403, "invalid-signature");
    const unknownKey = cached.replace(`/${key}/`, "/nobody/");
    await expectError(await get(unknownKey), 403, "invalid-signature");
    await expectError(await get(thumbnail(apps.disabled, 120)), 403, "application-disabled");
    expect(await originRequests()).toBe(before);
  });

  it("lets a quota of 0 read cached results but start no render, and counts down a quota", async () => {
    expect((await get(thumbnail(apps.main, 120))).status).toBe(301);
    const before = await originRequests();
    expect((await get(thumbnail(apps.readOnly, 120))).status).toBe(301);
    await expectError(await get(thumbnail(apps.readOnly, 77)), 403, "quota-exceeded");
    expect(await originRequests()).toBe(before);

    expect((await get(thumbnail(apps.once, 78))).status).toBe(301);
    await expectError(await get(thumbnail(apps.once, 79)), 403, "quota-exceeded");
  });

  it("serves unsigned URLs when ALLOW_UNSIGNED is true, /graphs/ as an alias", async () => {
    const response = await get(
      `/graphs/passthrough.webp?input=${encodeURIComponent(image("gridbear.jpg"))}&width=50`,
    );
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toMatch(/\.webp$/);
  });
});

describe("misses", () => {
  it("shares one origin call between identical concurrent misses", async () => {
    const url = signed(
      apps.main,
      "gaussianblur",
      { input: image("gridbear.jpg"), width: 150, "std-dev-x": 3 },
      "jpg",
    );
    const before = await originRequests();
    const responses = await Promise.all(Array.from({ length: 6 }, () => get(url)));
    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(301));
    expect(new Set(responses.map((response) => response.headers.get("location"))).size).toBe(1);
    expect(await originRequests()).toBe(before + 1);
  });

  it("replays a recorded 4xx failure without calling the origin again", async () => {
    const url = signed(apps.main, "passthrough", { input: fixtures.at("not-an-image.png") }, "png");
    const first = await expectError(await get(url), 415, "unsupported-input");
    const before = await originRequests();
    const replay = await expectError(await get(url), 415, "unsupported-input");
    // The same error, under the id of the request that got it.
    expect(replay).toEqual({ ...first, requestId: replay.requestId });
    expect(replay.requestId).not.toBe(first.requestId);
    expect(await originRequests()).toBe(before);
  });

  it("resolves relative inputs against the edge (bundled files, chained requests)", async () => {
    const file = await get("/graph/passthrough.png?input=files/gridbear.jpg&width=30");
    expect(file.status).toBe(301);
    const chained = `/graph/desaturate.png?input=${encodeURIComponent("graph/passthrough.png?input=files/gridbear.jpg&width=30")}`;
    expect((await get(chained)).status).toBe(301);
  });

  it("answers validation errors at the edge", async () => {
    await expectError(await get("/graph/nosuchgraph.png"), 404, "unknown-graph");
    await expectError(await get("/graph/canvas.png?color=notacolour"), 400, "invalid-parameter");
    await expectError(await get("/graph/canvas.bmp"), 400, "malformed-url");
    await expectError(await get("/graph/canvas.png", { method: "PUT" }), 405, "method-not-allowed");
  });
});

describe("pre-warm", () => {
  it("answers a POST with 202 and a Location, and the queue renders it", async () => {
    const { key, secret } = apps.main;
    const url = buildProcessingUrl(
      { server: `${edge.url}/`, key, secret },
      "canvas",
      { color: "#336699", width: 64 },
      "png",
    );
    const before = await originRequests();
    const queued = await get(url, { method: "POST" });
    expect(queued.status).toBe(202);
    const location = queued.headers.get("location");
    expect(location).toMatch(/^\/cache\/[0-9a-f]{64}\.png$/);

    let response = await get(url);
    for (let i = 0; i < 60 && response.status !== 301; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      response = await get(url);
    }
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe(location);
    expect(await originRequests()).toBe(before + 1);
    expect((await get(url, { method: "POST" })).status).toBe(301);
  });
});

describe("/cache", () => {
  const IMMUTABLE = "public, max-age=31536000, immutable";
  const locationOf = async (url: string) => (await get(url)).headers.get("location") ?? "";

  it("serves the same bytes from R2, the Cache API and memory, with a strong ETag and 304s", async () => {
    const location = await locationOf(thumbnail(apps.main, 122));
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const response = await get(location);
      answers.push({
        status: response.status,
        type: response.headers.get("content-type"),
        etag: response.headers.get("etag"),
        cacheControl: response.headers.get("cache-control"),
        bytes: Buffer.from(await response.arrayBuffer()),
      });
    }
    const [first] = answers;
    expect(first).toMatchObject({ status: 200, type: "image/png", cacheControl: IMMUTABLE });
    expect(first?.etag).toMatch(/^"[^"]+"$/);
    expect(answers.slice(1)).toEqual([first, first]);

    const revalidated = await get(location, { headers: { "if-none-match": first?.etag ?? "" } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(first?.etag);
  });

  it("answers 304 from R2 for a result this isolate has not served, and 404 for others", async () => {
    const location = await locationOf(thumbnail(apps.main, 121));
    const etag = (await get(location, { method: "HEAD" })).headers.get("etag") ?? "";
    const revalidated = await get(location, { headers: { "if-none-match": etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("cache-control")).toBe(IMMUTABLE);

    await expectError(await get(location.replace(".png", ".jpg")), 404, "not-found");
    await expectError(await get(`/cache/${"0".repeat(64)}.png`), 404, "not-found");
  });
});

describe("other routes", () => {
  it("redirects debug=1 URLs to the testing UI, pre-filled, without checking the signature", async () => {
    const url = `${signed(apps.main, "gradientmap", { input: "files/gridbear.jpg", color1: "#0A2A2F" }, "jpg")}&debug=1`;
    const tampered = url.replace(/\/[0-9a-f]{32}\//, `/${"f".repeat(32)}/`);
    const response = await get(tampered);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(
      "/?graph=gradientmap&format=jpg&color1=%230A2A2F&input=files%2Fgridbear.jpg",
    );
    const invalid = await get("/graph/canvas?color=nope&debug=1");
    expect(invalid.headers.get("location")).toBe("/?graph=canvas&format=&color=nope");
  });

  it("serves the UI page, the catalogue, the example files, /healthz and /version", async () => {
    const page = await get("/");
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/<html/i);

    const catalogue = (await (await get("/graphs")).json()) as { graphs: Record<string, unknown> };
    const fromOrigin = await origin.get("graphs", { authorization: `Bearer ${ORIGIN_SECRET}` });
    expect(catalogue).toEqual(await fromOrigin.json());

    const file = await get("/files/gridbear.jpg");
    expect(file.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await file.arrayBuffer())).toEqual(
      readFileSync(new URL("../examples/gridbear.jpg", import.meta.url)),
    );
    await expectError(await get("/files/nothing.png"), 404, "not-found");

    const health = (await (await get("/healthz")).json()) as {
      status: string;
      origins: { ok: boolean }[];
    };
    expect(health.status).toBe("ok");
    expect(health.origins.map((entry) => entry.ok)).toEqual([true]);
    const version = (await (await get("/version")).json()) as {
      server: { name: string };
      origins: unknown[];
    };
    expect(version.server.name).toBe("imgflo-server");
    expect(version.origins).toHaveLength(1);
  });
});
