import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE_KEY_HEADER } from "../shared/origin-headers.ts";
import { MAX_GRAPH_BYTES } from "../shared/render-graph.ts";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, readImage, startOrigin } from "../test/harness/origin.ts";

// Origins render the graph an edge sends (contract §7): no restart, no shared folder.
let origin: OriginProcess;
let fixtures: FixtureServer;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1" });
});

afterAll(async () => {
  await origin?.stop();
  await fixtures?.close();
});

const fade = (value: number) => ({
  inports: { input: { process: "fade", port: "input" } },
  outports: { output: { process: "fade", port: "output" } },
  processes: { fade: { component: "gegl/opacity" } },
  connections: [{ data: value, tgt: { process: "fade", port: "value" } }],
});

const pathOf = (graph: string) =>
  `graph/${graph}.png?input=${encodeURIComponent(fixtures.at("images/gridbear.jpg"))}&width=32`;

function sendGraph(graph: string, body: unknown, path = pathOf(graph)) {
  return fetch(new URL(path, origin.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function errorOf(
  response: Response,
): Promise<{ status: number; code: unknown; error: unknown }> {
  const body = (await response.json()) as { code: unknown; error: unknown };
  return { status: response.status, code: body.code, error: body.error };
}

describe("graphs sent with a render", () => {
  it("renders a graph none of the origin's files hold, each content under its own key", async () => {
    expect((await origin.get(pathOf("faded"))).status).toBe(404);
    const half = await readImage(
      sendGraph("faded", { name: "faded", version: 1, definition: fade(0.5) }),
    );
    const clear = await readImage(
      sendGraph("faded", { name: "faded", version: 2, definition: fade(0.1) }),
    );
    expect(half.pixels[3]).toBeGreaterThan(120);
    expect(clear.pixels[3]).toBeLessThan(40);
    expect(half.headers.get(CACHE_KEY_HEADER)).not.toBe(clear.headers.get(CACHE_KEY_HEADER));
    const again = await readImage(
      sendGraph("faded", { name: "faded", version: 1, definition: fade(0.5) }),
    );
    expect(again.headers.get(CACHE_KEY_HEADER)).toBe(half.headers.get(CACHE_KEY_HEADER));
  });

  it("renders a sent version of one of its own graphs by the sent content, not its file", async () => {
    const own = await origin.get(pathOf("passthrough"));
    const sent = await readImage(
      sendGraph("passthrough", { name: "passthrough", version: 3, definition: fade(0.2) }),
    );
    expect(sent.headers.get(CACHE_KEY_HEADER)).not.toBe(own.headers.get(CACHE_KEY_HEADER));
    expect(sent.pixels[3]).toBeLessThan(70);
  });

  it("refuses what it may not run: 400 naming the culprit, 413 beyond the size limit", async () => {
    const loader = {
      name: "reader",
      version: 1,
      definition: {
        inports: {},
        outports: { output: { process: "read", port: "output" } },
        processes: { read: { component: "gegl/jpg-load" } },
      },
    };
    expect(await errorOf(await sendGraph("reader", loader))).toMatchObject({
      status: 400,
      code: "invalid-graph",
      error: expect.stringMatching(/"read" uses gegl:jpg-load, which graphs may not use/),
    });
    expect(await errorOf(await sendGraph("faded", "{not json"))).toMatchObject({
      status: 400,
      code: "invalid-graph",
    });
    expect(
      await errorOf(await sendGraph("other", { name: "faded", version: 1, definition: fade(1) })),
    ).toMatchObject({ status: 400, error: expect.stringMatching(/"faded".*"other"/) });
    const huge = {
      name: "faded",
      version: 1,
      definition: { ...fade(1), pad: "x".repeat(MAX_GRAPH_BYTES) },
    };
    expect(await errorOf(await sendGraph("faded", huge))).toMatchObject({
      status: 413,
      code: "graph-too-large",
    });
  });
});

describe("checking a graph before it is published", () => {
  const check = (name: string, body: string, type = "application/json") =>
    fetch(new URL(`graph-check/${name}`, origin.url), {
      method: "POST",
      headers: { "content-type": type },
      body,
    });

  it("answers the parsed definition and hash of a graph that compiles and renders", async () => {
    const response = await check(
      "dsl",
      "'0.5' -> VALUE fade(gegl/opacity)\nINPORT=fade.INPUT:INPUT\nOUTPORT=fade.OUTPUT:OUTPUT",
      "text/plain",
    );
    const body = (await response.json()) as { hash: string; definition: { processes: object } };
    expect(response.status).toBe(200);
    expect(body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.definition.processes).toEqual({ fade: { component: "gegl/opacity" } });
  });

  it("answers 400 invalid-graph naming the culprit", async () => {
    const cycle = {
      inports: { input: { process: "a", port: "input" } },
      outports: { output: { process: "b", port: "output" } },
      processes: { a: { component: "svg/src-over" }, b: { component: "svg/src-over" } },
      connections: [
        { src: { process: "a", port: "output" }, tgt: { process: "b", port: "input" } },
        { src: { process: "b", port: "output" }, tgt: { process: "a", port: "aux" } },
      ],
    };
    expect(await errorOf(await check("loop", JSON.stringify(cycle)))).toMatchObject({
      status: 400,
      code: "invalid-graph",
      error: expect.stringMatching(/cycle/),
    });
    expect(await errorOf(await check("broken", "INPORT=oops"))).toMatchObject({
      status: 400,
      code: "invalid-graph",
    });
  });
});
