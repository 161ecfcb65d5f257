import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { originRequestCount, type RunningEdge } from "../test/harness/edge.ts";
import type { FixtureServer } from "../test/harness/fixture-server.ts";
import type { OriginProcess } from "../test/harness/origin.ts";
import { type RunningStack, startStack } from "../test/harness/stack.ts";

// Contract §7 `POST /admin/purge`, in workerd with local D1/R2 and a real origin.
const ORIGIN_SECRET = "purge-test-origin-secret";

let stack: RunningStack;
let origin: OriginProcess;
let fixtures: FixtureServer;
let edge: RunningEdge;

beforeAll(async () => {
  stack = await startStack(ORIGIN_SECRET);
  ({ origin, fixtures, edge } = stack);
  fixtures.add("/not-an-image.png", Buffer.from("<!doctype html><p>hello</p>"), "image/png");
});

afterAll(() => stack?.stop());

const image = (name: string) => fixtures.at(`images/${name}`);
const url = (graph: string, input: string, width: number) =>
  `${edge.url}/graph/${graph}.png?input=${encodeURIComponent(input)}&width=${width}`;
const get = (target: string) => fetch(target, { redirect: "manual" });

/** Renders (or finds) a URL and reads its /cache/ answer twice, so memory and the Cache API hold it. */
async function served(target: string): Promise<string> {
  const response = await get(target);
  expect(response.status, await response.clone().text()).toBe(301);
  const location = `${edge.url}${response.headers.get("location")}`;
  for (let i = 0; i < 2; i++) expect((await fetch(location)).status).toBe(200);
  return location;
}

function purge(body: unknown, token: string | null = edge.adminToken) {
  return fetch(`${edge.url}/admin/purge`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function purged(body: unknown): Promise<number> {
  const response = await purge(body);
  const answer = (await response.json()) as { purged: number };
  expect(response.status, JSON.stringify(answer)).toBe(200);
  return answer.purged;
}

const renders = () => originRequestCount(origin);

describe("purging results", () => {
  it("by input: every result of that image leaves R2 and the caches, the next GET renders, others stay", async () => {
    const grid = [
      url("passthrough", image("gridbear.jpg"), 40),
      url("passthrough", image("gridbear.jpg"), 41),
      url("gaussianblur", image("gridbear.jpg"), 40),
    ];
    const other = url("passthrough", image("mountains.png"), 40);
    const locations = await Promise.all(grid.map(served));
    const otherLocation = await served(other);

    expect(await purged({ input: image("gridbear.jpg") })).toBe(3);
    for (const location of locations) expect((await fetch(location)).status).toBe(404);
    const before = await renders();
    await served(grid[0] as string);
    expect(await renders()).toBe(before + 1);
    await served(other);
    expect((await fetch(otherLocation)).status).toBe(200);
    expect(await renders()).toBe(before + 1);
  });

  it("by input, a relative one included: files/… and its absolute URL are one image", async () => {
    const location = await served(url("passthrough", "files/gridbear.jpg", 30));
    expect(await purged({ input: `${edge.url}/files/gridbear.jpg` })).toBe(1);
    expect((await fetch(location)).status).toBe(404);
  });

  it("by graph and by key", async () => {
    const blur = await served(url("gaussianblur", image("mountains.png"), 33));
    const plain = url("passthrough", image("mountains.png"), 33);
    const plainLocation = await served(plain);
    expect(await purged({ graph: "gaussianblur" })).toBeGreaterThanOrEqual(1);
    expect((await fetch(blur)).status).toBe(404);
    expect((await fetch(plainLocation)).status).toBe(200);

    const key = /\/cache\/([0-9a-f]{64})\./.exec(plainLocation)?.[1];
    expect(await purged({ key })).toBe(1);
    expect((await fetch(plainLocation)).status).toBe(404);
    const before = await renders();
    await served(plain);
    expect(await renders()).toBe(before + 1);
  });

  it("takes recorded failures with it", async () => {
    const text = fixtures.at("/not-an-image.png");
    const refused = url("passthrough", text, 20);
    expect((await get(refused)).status).toBe(415);
    const before = await renders();
    expect((await get(refused)).status).toBe(415);
    expect(await renders()).toBe(before);
    expect(await purged({ input: text })).toBe(1);
    expect((await get(refused)).status).toBe(415);
    expect(await renders()).toBe(before + 1);
  });

  it("from the command line: imgflo-server purge --graph", async () => {
    const blur = await served(url("gaussianblur", image("gridbear.jpg"), 21));
    let stdout = "";
    let stderr = "";
    const code = await main(
      ["purge", "--graph", "gaussianblur", "--server", edge.url, "--token", edge.adminToken],
      {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        env: {},
      },
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(stdout).purged).toBeGreaterThanOrEqual(1);
    expect((await fetch(blur)).status).toBe(404);
    const refused = await main(["purge", "--graph", "x", "--key", "y"], {
      stdout: () => {},
      stderr: () => {},
      env: {},
    });
    expect(refused).toBe(2);
  });

  it("needs the admin token and exactly one of input, graph, key", async () => {
    expect((await purge({ graph: "passthrough" }, null)).status).toBe(401);
    expect((await purge({ graph: "passthrough" }, "wrong")).status).toBe(403);
    for (const body of [{}, { graph: "a", input: "b" }, { key: "nope" }, { colour: "x" }]) {
      expect((await purge(body)).status, JSON.stringify(body)).toBe(400);
    }
  });
});
