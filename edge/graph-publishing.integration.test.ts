import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewApplication } from "../cli/commands/app.ts";
import { buildCatalogue } from "../shared/catalogue.ts";
import type { FbpGraph } from "../shared/graph-definition.ts";
import { buildProcessingUrl } from "../shared/signed-url.ts";
import { originRequestCount, type RunningEdge, startEdge } from "../test/harness/edge.ts";
import type { FixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, pixelsOf } from "../test/harness/origin.ts";
import { renderRequestFor } from "../test/harness/render-request.ts";
import { type RunningStack, startStack } from "../test/harness/stack.ts";

// Contract §7 end to end: the Worker in workerd with local D1/R2, one real origin (real GEGL)
// that has none of the published graphs among its files.
const ORIGIN_SECRET = "publishing-test-origin-secret";

let stack: RunningStack;
let origin: OriginProcess;
let fixtures: FixtureServer;
let edge: RunningEdge;
let app: NewApplication;

beforeAll(async () => {
  stack = await startStack(ORIGIN_SECRET, [{ name: "publisher" }]);
  ({ origin, fixtures, edge } = stack);
  app = stack.applications[0] as NewApplication;
});

afterAll(() => stack?.stop());

/** A one-node blur whose vertical deviation is a fixed value of the graph, not a parameter. */
function blurGraph(stdDevY: number, description = "A blur to publish") {
  return {
    properties: { description },
    inports: {
      input: { process: "blur", port: "input" },
      radius: {
        process: "blur",
        port: "std-dev-x",
        metadata: { type: "number", minimum: 0, maximum: 50, default: 1, description: "x" },
      },
    },
    outports: { output: { process: "blur", port: "output" } },
    processes: { blur: { component: "gegl/gaussian-blur", metadata: { x: 10, y: 20 } } },
    connections: [{ data: stdDevY, tgt: { process: "blur", port: "std-dev-y" } }],
  };
}

type Json = Record<string, unknown>;

function admin(path: string, init: RequestInit & { token?: string | null } = {}) {
  const { token = edge.adminToken, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  return fetch(`${edge.url}/admin/${path}`, { ...rest, headers });
}

async function publish(name: string, graph: unknown, note = ""): Promise<Response> {
  return admin(`graphs/${name}?note=${encodeURIComponent(note)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(graph),
  });
}

async function json(response: Response, status: number): Promise<Json> {
  const body = (await response.json()) as Json;
  expect({ status: response.status, body }).toMatchObject({ status });
  return body;
}

const input = () => fixtures.at("images/gridbear.jpg");
const urlOf = (graph: string, params: Record<string, string | number> = {}) =>
  `${edge.url}/graph/${graph}.png?input=${encodeURIComponent(input())}&width=64${Object.entries(
    params,
  )
    .map(([name, value]) => `&${name}=${value}`)
    .join("")}`;
const get = (url: string) => fetch(url, { redirect: "manual" });

async function resultOf(url: string): Promise<{ location: string; pixels: Buffer }> {
  const response = await get(url);
  expect(response.status, await response.clone().text()).toBe(301);
  const location = response.headers.get("location") as string;
  const bytes = Buffer.from(await (await fetch(`${edge.url}${location}`)).arrayBuffer());
  return { location, pixels: (await pixelsOf(bytes)).pixels };
}

describe("publishing graphs (contract §7)", () => {
  it("serves a new graph at once, renders a changed one anew, pins and rolls back without rendering", async () => {
    await expect(get(urlOf("published"))).resolves.toMatchObject({ status: 404 });
    const first = await json(await publish("published", blurGraph(8), "first"), 201);
    expect(first).toMatchObject({ name: "published", version: 1 });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);

    const v1 = await resultOf(urlOf("published"));
    const catalogue = (await (await fetch(`${edge.url}/graphs`)).json()) as {
      graphs: Record<string, Json>;
    };
    expect(catalogue.graphs.published).toMatchObject({
      version: 1,
      hash: first.hash,
      builtin: false,
      description: "A blur to publish",
    });
    expect(catalogue.graphs.gaussianblur).toMatchObject({ version: 0, builtin: true });

    const second = await json(await publish("published", blurGraph(0), "second"), 201);
    expect(second.version).toBe(2);
    const v2 = await resultOf(urlOf("published"));
    expect(v2.location).not.toBe(v1.location);
    expect(v2.pixels.equals(v1.pixels)).toBe(false);

    const renders = await originRequestCount(origin);
    expect((await resultOf(urlOf("published@1"))).location).toBe(v1.location);
    expect((await resultOf(urlOf("published@2"))).location).toBe(v2.location);
    const rollback = await admin("graphs/published/rollback", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ version: 1 }),
    });
    expect(await json(rollback, 200)).toEqual({ name: "published", version: 1, hash: first.hash });
    expect((await resultOf(urlOf("published"))).location).toBe(v1.location);
    expect(await originRequestCount(origin)).toBe(renders);

    const history = await json(await admin("graphs/published/versions"), 200);
    expect(history).toMatchObject({ name: "published", current: 1 });
    expect(history.versions).toMatchObject([
      { version: 1, hash: first.hash, note: "first" },
      { version: 2, hash: second.hash, note: "second" },
    ]);
    const missing = await json(await get(urlOf("published@3")), 404);
    expect(missing.code).toBe("unknown-version");
  });

  it("signs a pinned version's graphspec like any other", async () => {
    await json(await publish("pinned", blurGraph(3)), 201);
    const config = { server: `${edge.url}/`, key: app.key, secret: app.secret };
    const url = buildProcessingUrl(config, "pinned@1", { input: input(), width: 40 }, "png");
    expect(url).toContain("/pinned@1.png?");
    expect((await get(url)).status).toBe(301);
    const forged = url.replace("pinned@1.png", "pinned@2.png");
    expect((await json(await get(forged), 403)).code).toBe("invalid-signature");
  });

  it("makes no new version for the same content, whatever its layout and descriptions", async () => {
    const first = await json(await publish("same", blurGraph(5)), 201);
    const moved = blurGraph(5, "Described differently");
    moved.processes.blur.metadata = { x: 500, y: 700 };
    const again = await json(await publish("same", moved), 200);
    expect(again).toEqual({ name: "same", version: first.version, hash: first.hash });
  });

  it("takes the .fbp DSL as text/plain", async () => {
    const response = await admin("graphs/dsl", {
      method: "PUT",
      headers: { "content-type": "text/plain" },
      body: "'0.5' -> VALUE fade(gegl/opacity)\nINPORT=fade.INPUT:INPUT\nOUTPORT=fade.OUTPUT:OUTPUT\n",
    });
    expect((await json(response, 201)).version).toBe(1);
    expect((await get(urlOf("dsl"))).status).toBe(301);
  });

  it("refuses an invalid graph with 400 naming the culprit and keeps the current version", async () => {
    await json(await publish("guarded", blurGraph(2)), 201);
    const typo = blurGraph(2);
    typo.processes.blur.component = "gegl/gaussian-blurr";
    const refused = await json(await publish("guarded", typo), 400);
    expect(refused).toMatchObject({ code: "invalid-graph" });
    expect(refused.error).toMatch(/"blur".*gegl:gaussian-blurr/);

    const reader = {
      inports: {},
      outports: { output: { process: "read", port: "output" } },
      processes: { read: { component: "gegl/png-load" } },
      connections: [],
    };
    const unsafe = await json(await publish("guarded", reader), 400);
    expect(unsafe.error).toMatch(/"read".*gegl:png-load.*may not use/);
    const script = {
      inports: { input: { process: "g", port: "input" } },
      outports: { output: { process: "g", port: "output" } },
      processes: { g: { component: "gegl/gegl" } },
      connections: [{ data: "load path=/etc/passwd", tgt: { process: "g", port: "string" } }],
    };
    expect((await json(await publish("guarded", script), 400)).error).toMatch(/gegl:gegl/);
    expect((await json(await publish("guarded", { processes: 3 }), 400)).code).toBe(
      "invalid-graph",
    );
    const history = await json(await admin("graphs/guarded/versions"), 200);
    expect(history).toMatchObject({ current: 1 });
    expect(history.versions).toHaveLength(1);
  });

  it("overrides a built-in graph, and removing the published one brings the built-in back", async () => {
    const builtin = await resultOf(urlOf("gaussianblur"));
    const override = {
      ...blurGraph(20),
      inports: { input: { process: "blur", port: "input" } },
    };
    await json(await publish("gaussianblur", override), 201);
    const published = await resultOf(urlOf("gaussianblur"));
    expect(published.location).not.toBe(builtin.location);
    expect((await resultOf(urlOf("gaussianblur@0"))).location).toBe(builtin.location);

    const removed = await json(await admin("graphs/gaussianblur", { method: "DELETE" }), 200);
    expect(removed.current).toMatchObject({ version: 0 });
    expect((await resultOf(urlOf("gaussianblur"))).location).toBe(builtin.location);
    await json(await admin("graphs/gaussianblur", { method: "DELETE" }), 404);
    // Removed versions stay pinnable.
    expect((await resultOf(urlOf("gaussianblur@1"))).location).toBe(published.location);
  });

  it("keys a built-in graph's results by its file's content: a structural change there changes them", async () => {
    const file = JSON.parse(
      await readFile(new URL("../graphs/gaussianblur.json", import.meta.url), "utf8"),
    ) as FbpGraph;
    // The same graph with one more fixed value: no port of it is exported.
    const changed = structuredClone(file);
    changed.connections?.push({ data: "fir", tgt: { process: "blur", port: "filter" } });
    const path = new URL(urlOf("gaussianblur")).pathname + new URL(urlOf("gaussianblur")).search;
    const keyOf = async (definition: FbpGraph) =>
      (await renderRequestFor(buildCatalogue([{ name: "gaussianblur", definition }]), path))
        .cacheKey;
    const served = await resultOf(urlOf("gaussianblur"));
    expect(served.location).toContain(await keyOf(file));
    expect(await keyOf(changed)).not.toBe(await keyOf(file));
  });

  it("keeps every one of 20 concurrent publishes of one name", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => publish("busy", blurGraph(i + 1))),
    );
    const bodies = await Promise.all(answers.map((response) => json(response, 201)));
    const versions = bodies.map((body) => body.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const history = await json(await admin("graphs/busy/versions"), 200);
    expect(new Set((history.versions as Json[]).map((entry) => entry.hash)).size).toBe(20);
  });

  it("needs the admin token: 401 without, 403 with a wrong one", async () => {
    const without = await json(await admin("graphs/published/versions", { token: null }), 401);
    expect(without.code).toBe("admin-token-required");
    const wrong = await json(await admin("graphs/published/versions", { token: "nope" }), 403);
    expect(wrong.code).toBe("admin-token-refused");
    const refused = await admin("graphs/intruder", {
      method: "PUT",
      token: "nope",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(blurGraph(1)),
    });
    expect(refused.status).toBe(403);
    await json(await admin("graphs/intruder/versions"), 404);
  });

  it("is served by another isolate (a second Worker on the same D1) without a restart of anything", async () => {
    await json(await publish("elsewhere", blurGraph(6)), 201);
    const other = await startEdge({
      originUrls: [origin.url],
      originSecret: ORIGIN_SECRET,
      persistDir: edge.persistDir,
      adminToken: edge.adminToken,
      keepPersistDir: true,
    });
    try {
      const response = await get(urlOf("elsewhere").replace(edge.url, other.url));
      expect(response.status).toBe(301);
    } finally {
      await other.stop();
    }
  });
});
