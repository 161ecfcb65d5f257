import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewApplication } from "../cli/commands/app.ts";
import { computeToken } from "../shared/signature.ts";
import { buildProcessingUrl, type UrlParams } from "../shared/signed-url.ts";
import {
  addApplication,
  freshDatabase,
  originRequestCount,
  type RunningEdge,
  runAppCommand,
  seedApplications,
  startEdge,
} from "../test/harness/edge.ts";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";

// Contract §2's expiring URLs, key rotation and allowed sources, against a production-like edge
// (signed URLs only) in workerd with local D1/R2, a real origin, and the admin CLI writing D1.
type ImgfloUrl = (
  config: { server: string; key: string; secret: string },
  graph: string,
  params: UrlParams,
  format?: string,
) => string;
const imgfloUrl = createRequire(import.meta.url)("imgflo-url") as ImgfloUrl;

const ORIGIN_SECRET = "access-test-origin-secret";

let origin: OriginProcess;
let fixtures: FixtureServer;
let edge: RunningEdge;
let main: NewApplication;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  const [started, persistDir] = await Promise.all([
    startOrigin({ ORIGIN_SECRET, ALLOW_PRIVATE_INPUTS: "1" }),
    freshDatabase(),
  ]);
  origin = started;
  [main] = (await seedApplications(persistDir, [{ name: "main" }])) as [NewApplication];
  edge = await startEdge({
    originUrls: [origin.url],
    originSecret: ORIGIN_SECRET,
    persistDir,
    allowUnsigned: false,
  });
});

afterAll(async () => {
  await edge?.stop();
  await origin?.stop();
  await fixtures?.close();
});

type Credentials = { key: string; secret: string };
const signed = (app: Credentials, graph: string, params: UrlParams, format = "png") =>
  buildProcessingUrl({ server: `${edge.url}/`, ...app }, graph, params, format);
const get = (url: string) =>
  fetch(url.startsWith("/") ? `${edge.url}${url}` : url, { redirect: "manual" });
const image = (name: string) => fixtures.at(`images/${name}`);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const originRequests = () => originRequestCount(origin);

async function expectError(response: Response, status: number, code: string) {
  const body = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, code: body.code }).toEqual({ status, code });
  return body;
}

/** A signed /info URL: md5("info" + search + secret). */
function signedInfo(app: Credentials, params: Record<string, string | number>): string {
  const search = `?${Object.entries(params)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join("&")}`;
  return `${edge.url}/info/${app.key}/${computeToken("info", search, app.secret)}${search}`;
}

describe("expiring URLs (expires=<unix seconds>)", () => {
  const thumbnail = (width: number) => ({ input: image("gridbear.jpg"), width });

  it("serve a render and its cache hits until then, with redirects cached no longer", async () => {
    const url = signed(main, "passthrough", { ...thumbnail(71), expires: nowSeconds() + 600 });
    const rendered = await get(url);
    expect(rendered.status).toBe(301);
    expect(rendered.headers.get("server-timing")).toMatch(/^cache;desc=miss/);
    const hit = await get(url);
    expect(hit.status).toBe(301);
    expect(hit.headers.get("server-timing")).toBe("cache;desc=hit");
    const maxAge = Number(/max-age=(\d+)/.exec(hit.headers.get("cache-control") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(500);
    expect(maxAge).toBeLessThanOrEqual(600);
    // Not in the cache key: the same result as the URL without it.
    const plain = await get(signed(main, "passthrough", thumbnail(71)));
    expect(plain.headers.get("location")).toBe(hit.headers.get("location"));
    expect(plain.headers.get("cache-control")).toBe("public, max-age=3600");
  });

  it("answer 403 expired after it, for a cached result and for a new render alike", async () => {
    const before = await originRequests();
    const cached = await get(signed(main, "passthrough", { ...thumbnail(71), expires: 1 }));
    const body = await expectError(cached, 403, "expired");
    expect(body.expires).toBe(1);
    const past = nowSeconds() - 5;
    const uncached = await get(signed(main, "passthrough", { ...thumbnail(72), expires: past }));
    await expectError(uncached, 403, "expired");
    expect(await originRequests()).toBe(before);
  });

  it("turn from 301 to 403 once the time passes", async () => {
    const expires = nowSeconds() + 2;
    const url = signed(main, "passthrough", { ...thumbnail(71), expires });
    expect((await get(url)).status).toBe(301);
    await sleep(expires * 1000 + 100 - Date.now());
    await expectError(await get(url), 403, "expired");
  });

  it("are covered by the signature: a changed or dropped expires is a forged URL", async () => {
    const url = signed(main, "passthrough", { ...thumbnail(71), expires: nowSeconds() + 60 });
    const later = url.replace(/expires=\d+/, `expires=${nowSeconds() + 86_400}`);
    await expectError(await get(later), 403, "invalid-signature");
    const dropped = url.replace(/expires=\d+&/, "");
    expect(dropped).not.toContain("expires");
    await expectError(await get(dropped), 403, "invalid-signature");
  });

  it("answer 400 naming the parameter for a malformed expires", async () => {
    for (const expires of ["soon", "1.5", "-1", ""]) {
      const url = signed(main, "passthrough", { ...thumbnail(71), expires });
      const body = await expectError(await get(url), 400, "invalid-parameter");
      expect(body.parameter).toBe("expires");
    }
  });

  it("just work from the imgflo-url client, which signs expires as any parameter", async () => {
    const config = { server: `${edge.url}/`, ...main };
    const params = { ...thumbnail(71), expires: nowSeconds() + 60 };
    expect((await get(imgfloUrl(config, "passthrough", params, "png"))).status).toBe(301);
    const expired = imgfloUrl(config, "passthrough", { ...params, expires: 1 }, "png");
    await expectError(await get(expired), 403, "expired");
  });

  it("expire signed /info URLs too", async () => {
    const input = image("gridbear.jpg");
    const fresh = await get(signedInfo(main, { expires: nowSeconds() + 60, input }));
    expect(fresh.status).toBe(200);
    const maxAge = Number(/max-age=(\d+)/.exec(fresh.headers.get("cache-control") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(50);
    expect(maxAge).toBeLessThanOrEqual(60);
    await expectError(await get(signedInfo(main, { expires: 1, input })), 403, "expired");
  });
});

describe("allowed sources", () => {
  let fixturesOnly: Credentials;
  let cdnOnly: Credentials;
  let ownFiles: Credentials;

  beforeAll(async () => {
    // Through the admin CLI while the edge runs: none of them has been asked for yet. One after
    // another, as an operator would: two wrangler processes writing the local D1 file at once meet
    // SQLITE_BUSY.
    fixturesOnly = await addApplication(edge.persistDir, {
      allowSources: [`${fixtures.url}images/*`],
    });
    cdnOnly = await addApplication(edge.persistDir, {
      allowSources: ["https://cdn.example.com/*"],
    });
    ownFiles = await addApplication(edge.persistDir, { allowSources: [`${edge.url}/files/*`] });
  });

  it("let an application name images that match, and refuse others with 403", async () => {
    const allowed = signed(fixturesOnly, "passthrough", {
      input: image("gridbear.jpg"),
      width: 81,
    });
    expect((await get(allowed)).status).toBe(301);
    const before = await originRequests();
    const elsewhere = signed(fixturesOnly, "passthrough", {
      input: fixtures.at("status/404"),
      width: 81,
    });
    const body = await expectError(await get(elsewhere), 403, "source-not-allowed");
    expect(body.source).toBe(fixtures.at("status/404"));
    expect(await originRequests()).toBe(before);
  });

  it("apply to image inports as to input: an overlay from elsewhere is refused", async () => {
    const input = image("gridbear.jpg");
    const allowed = signed(fixturesOnly, "watermark", { input, overlay: image("mountains.png") });
    expect((await get(allowed)).status).toBe(301);
    const before = await originRequests();
    for (const overlay of ["files/gridbear.jpg", "https://cdn.example.com/logo.png"]) {
      const body = await expectError(
        await get(signed(fixturesOnly, "watermark", { input, overlay })),
        403,
        "source-not-allowed",
      );
      expect(body.source).toBe(new URL(overlay, `${edge.url}/`).href);
    }
    // The input is checked as before, whatever the overlay.
    await expectError(
      await get(signed(fixturesOnly, "watermark", { input: "files/gridbear.jpg", overlay: input })),
      403,
      "source-not-allowed",
    );
    expect(await originRequests()).toBe(before);
  });

  it("refuse look-alikes of an allowed host", async () => {
    for (const input of [
      "https://cdn.example.com.evil.com/a.jpg",
      "https://cdn.example.com@evil.com/a.jpg",
      "http://cdn.example.com/a.jpg",
      "https://evil.com/https://cdn.example.com/a.jpg",
    ]) {
      const response = await get(signed(cdnOnly, "passthrough", { input, width: 81 }));
      expect({ input, ...(await expectError(response, 403, "source-not-allowed")) }).toMatchObject({
        input,
      });
    }
  });

  it("check a relative input by what it resolves to against PUBLIC_URL", async () => {
    const relative = { input: "files/gridbear.jpg", width: 82 };
    // main renders it: the result is cached, and still refused to an application whose sources it
    // does not match.
    expect((await get(signed(main, "passthrough", relative))).status).toBe(301);
    const body = await expectError(
      await get(signed(cdnOnly, "passthrough", relative)),
      403,
      "source-not-allowed",
    );
    expect(body.source).toBe(`${edge.url}/files/gridbear.jpg`);
    expect((await get(signed(ownFiles, "passthrough", relative))).status).toBe(301);
    const chained = { input: "graph/passthrough.png?input=files%2Fgridbear.jpg", width: 82 };
    await expectError(
      await get(signed(ownFiles, "passthrough", chained)),
      403,
      "source-not-allowed",
    );
  });

  it("apply to signed /info URLs' input", async () => {
    const input = image("gridbear.jpg");
    expect((await get(signedInfo(fixturesOnly, { input }))).status).toBe(200);
    await expectError(await get(signedInfo(cdnOnly, { input })), 403, "source-not-allowed");
  });

  it("follow `app sources`: no pattern lets any source through", async () => {
    const app = await addApplication(edge.persistDir, {
      allowSources: ["https://cdn.example.com/*"],
    });
    const changed = await runAppCommand(edge.persistDir, ["sources", app.key]);
    expect(changed).toMatchObject({ key: app.key, allowed_sources: null });
    const any = signed(app, "passthrough", { input: image("gridbear.jpg"), width: 81 });
    expect((await get(any)).status).toBe(301);
  });
});

describe("key rotation (app rotate)", () => {
  const params = () => ({ input: image("gridbear.jpg"), width: 91 });

  beforeAll(async () => {
    expect((await get(signed(main, "passthrough", params()))).status).toBe(301);
  });

  it("verifies the previous secret during the grace, then only the new one", async () => {
    // Not asked for before the rotation: the edge reads the rotated row from D1.
    const app = await addApplication(edge.persistDir, { name: "rotating" });
    const rotated = (await runAppCommand(edge.persistDir, [
      "rotate",
      app.key,
      "--grace",
      "10",
    ])) as {
      secret: string;
      previous_secret_expires: string;
    };
    const graceEnds = Date.parse(rotated.previous_secret_expires);
    const fresh = { key: app.key, secret: rotated.secret };
    expect((await get(signed(app, "passthrough", params()))).status).toBe(301);
    expect((await get(signed(fresh, "passthrough", params()))).status).toBe(301);
    // The requests above must have fallen inside the grace for this test to mean anything.
    expect(Date.now()).toBeLessThan(graceEnds);
    await sleep(graceEnds + 100 - Date.now());
    // The edge holds the row in its isolate cache, grace end included: no wait for a re-read.
    await expectError(await get(signed(app, "passthrough", params())), 403, "invalid-signature");
    expect((await get(signed(fresh, "passthrough", params()))).status).toBe(301);
  });

  it("reaches a running edge with its application cache (a fresh isolate here, else within 30 s)", async () => {
    const app = await addApplication(edge.persistDir, { name: "cached" });
    expect((await get(signed(app, "passthrough", params()))).status).toBe(301);
    const rotated = (await runAppCommand(edge.persistDir, ["rotate", app.key])) as {
      secret: string;
    };
    const fresh = { key: app.key, secret: rotated.secret };
    // This isolate still holds the row it read before the rotation.
    await expectError(await get(signed(fresh, "passthrough", params())), 403, "invalid-signature");
    edge = await edge.restart();
    expect((await get(signed(fresh, "passthrough", params()))).status).toBe(301);
    expect((await get(signed(app, "passthrough", params()))).status).toBe(301);
  });
});
