import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type RunningEdge, startEdge } from "../../test/harness/edge.ts";
import { type OriginProcess, startOrigin } from "../../test/harness/origin.ts";
import { main } from "../main.ts";

// `imgflo-server graph` against the Worker in workerd with local D1/R2 and one real origin,
// which validates every publish with GEGL.
const ORIGIN_SECRET = "graph-cli-test-origin-secret";

let origin: OriginProcess;
let edge: RunningEdge;
let dir: string;

/** A one-node blur whose vertical deviation is a fixed value of the graph, not a parameter. */
function blurGraph(stdDevY: number, component = "gegl/gaussian-blur") {
  return {
    properties: { description: "A blur published by the CLI" },
    inports: { input: { process: "blur", port: "input" } },
    outports: { output: { process: "blur", port: "output" } },
    processes: { blur: { component } },
    connections: [{ data: stdDevY, tgt: { process: "blur", port: "std-dev-y" } }],
  };
}

// FBP's DSL has no hyphens in port names: brightness-contrast's ports have none.
const DSL =
  "INPORT=bc.INPUT:INPUT\nOUTPORT=bc.OUTPUT:OUTPUT\n'1.5' -> CONTRAST bc(gegl/brightness-contrast)\n";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "imgflo-graph-cli-"));
  await Promise.all([
    writeFile(join(dir, "cliblur.json"), JSON.stringify(blurGraph(8))),
    writeFile(join(dir, "changed.json"), JSON.stringify(blurGraph(2))),
    writeFile(join(dir, "typo.json"), JSON.stringify(blurGraph(2, "gegl/gaussian-blurr"))),
    writeFile(join(dir, "clidsl.fbp"), DSL),
  ]);
  const [started, persistDir] = await Promise.all([
    startOrigin({ ORIGIN_SECRET }),
    freshDatabase(),
  ]);
  origin = started;
  edge = await startEdge({ originUrls: [origin.url], originSecret: ORIGIN_SECRET, persistDir });
});

afterAll(async () => {
  await edge?.stop();
  await origin?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

/** Runs `imgflo-server graph` in-process against the test edge, with its token unless told otherwise. */
async function graph(
  argv: string[],
  { token = edge.adminToken }: { token?: string | null } = {},
): Promise<{ code: number; json: unknown; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const connection = ["--server", edge.url, ...(token === null ? [] : ["--token", token])];
  const code = await main(["graph", ...argv, ...connection], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: {},
  });
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr };
}

async function succeeds(...argv: string[]): Promise<Json> {
  const result = await graph(argv);
  expect({ argv, code: result.code, stderr: result.stderr }).toEqual({ argv, code: 0, stderr: "" });
  return result.json as Json;
}

async function listed(): Promise<Json[]> {
  const result = await graph(["list"], { token: null });
  expect(result.code).toBe(0);
  return result.json as Json[];
}

/** The edge's sentence and status on stderr, nothing on stdout, exit 1. */
async function fails(argv: string[], sentence: RegExp, token?: string | null) {
  const result = await graph(argv, { token });
  expect({ code: result.code, json: result.json }).toEqual({ code: 1, json: undefined });
  expect(result.stderr).toMatch(sentence);
}

const file = (name: string) => join(dir, name);

describe("imgflo-server graph against an edge (contract §7)", () => {
  let first: Json;

  it("publishes a .json file under its base name, once for the same content", async () => {
    first = await succeeds("publish", file("cliblur.json"), "--note", "first try");
    expect(first).toEqual({
      name: "cliblur",
      version: 1,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await succeeds("publish", file("cliblur.json"))).toEqual(first);

    const second = await succeeds("publish", file("changed.json"), "--name", "cliblur");
    expect(second).toMatchObject({ name: "cliblur", version: 2 });
    expect(second.hash).not.toBe(first.hash);
  });

  it("publishes a .fbp file as text", async () => {
    expect(await succeeds("publish", file("clidsl.fbp"))).toMatchObject({
      name: "clidsl",
      version: 1,
    });
  });

  it("lists the published graphs beside the built-in ones", async () => {
    const graphs = await listed();
    expect(graphs.find((entry) => entry.name === "cliblur")).toEqual({
      name: "cliblur",
      version: 2,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      builtin: false,
      description: "A blur published by the CLI",
    });
    expect(graphs.find((entry) => entry.name === "clidsl")).toMatchObject({ builtin: false });
    expect(graphs.find((entry) => entry.name === "gaussianblur")).toMatchObject({
      version: 0,
      builtin: true,
    });
  });

  it("shows the history and rolls back", async () => {
    const history = await succeeds("history", "cliblur");
    expect(history).toMatchObject({ name: "cliblur", current: 2 });
    expect(history.versions).toMatchObject([
      { version: 1, hash: first.hash, note: "first try" },
      { version: 2, note: "" },
    ]);
    expect(await succeeds("rollback", "cliblur", "1")).toEqual(first);
    expect((await succeeds("history", "cliblur")).current).toBe(1);
    expect((await listed()).find((entry) => entry.name === "cliblur")).toMatchObject({
      version: 1,
      hash: first.hash,
    });
    await fails(
      ["rollback", "cliblur", "7"],
      /^Error: Graph "cliblur" has no version 7\. \(404 unknown-version, request \S+\)\n$/,
    );
  });

  it("removes a published graph, once", async () => {
    expect(await succeeds("remove", "cliblur")).toEqual({ name: "cliblur", current: null });
    expect((await listed()).map((entry) => entry.name)).not.toContain("cliblur");
    await fails(
      ["remove", "cliblur"],
      /A published graph named "cliblur" was not found\. \(404 not-found/,
    );
  });

  it("refuses an invalid graph with the edge's sentence naming the culprit", async () => {
    await fails(
      ["publish", file("typo.json"), "--name", "clidsl"],
      /^Error: .*"blur".*gegl:gaussian-blurr.* \(400 invalid-graph, request \S+\)\n$/,
    );
    expect((await succeeds("history", "clidsl")).current).toBe(1);
  });

  it("says 401 without a token and 403 with a wrong one", async () => {
    await fails(
      ["history", "clidsl"],
      /^Error: The admin API needs Authorization: Bearer <ADMIN_TOKEN>\. \(401 admin-token-required/,
      null,
    );
    await fails(
      ["publish", file("cliblur.json")],
      /^Error: The admin token is wrong\. \(403 admin-token-refused/,
      "not-the-token",
    );
    expect((await listed()).map((entry) => entry.name)).not.toContain("cliblur");
  });

  it("runs as a process, server and token from the environment", async () => {
    const run = (token: string) =>
      promisify(execFile)("node", ["bin/imgflo-server.js", "graph", "history", "clidsl"], {
        env: { ...process.env, IMGFLO_SERVER: edge.url, IMGFLO_ADMIN_TOKEN: token },
      });
    const { stdout } = await run(edge.adminToken);
    expect(JSON.parse(stdout)).toMatchObject({ name: "clidsl", current: 1 });
    await expect(run("not-the-token")).rejects.toMatchObject({
      code: 1,
      stdout: "",
      stderr: expect.stringMatching(/^Error: The admin token is wrong\. \(403/),
    });
  });
});
