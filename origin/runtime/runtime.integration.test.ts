import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import tv4 from "fbp-protocol/schema/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalogue } from "../../shared/catalogue.ts";
import { parseGraphSource } from "../../shared/graph-source.ts";
import { connectFbp, type FbpClient, type ReceivedMessage } from "../../test/harness/fbp-client.ts";
import { freePort, type OriginProcess, pixelsOf, startOrigin } from "../../test/harness/origin.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SECRET = "runtime-test-secret-0123456789";

let origin: OriginProcess;
let runtimeUrl: string;
let configDir: string;
let client: FbpClient;

/** Every message the runtime sends must be valid for fbp-protocol's own schemas. */
function expectValid(message: ReceivedMessage): void {
  const result = tv4.validateMultiple(message, `${message.protocol}/output/${message.command}`);
  expect(result.errors, `${message.protocol}:${message.command}`).toEqual([]);
  expect(JSON.stringify(message)).not.toContain(SECRET);
}

/** Sets (or replaces) the initial value of a node's port. */
function setInitial(graph: string, node: string, port: string, data: unknown): void {
  client.send("graph", "addinitial", { src: { data }, tgt: { node, port }, graph });
}

/** Nodes connected one after the other, output pad to input pad. */
function addChain(graph: string, ...nodes: [id: string, component: string][]): void {
  nodes.forEach(([id, component], i) => {
    client.send("graph", "addnode", { id, component, graph });
    const previous = nodes[i - 1];
    if (!previous) return;
    client.send("graph", "addedge", {
      src: { node: previous[0], port: "output" },
      tgt: { node: id, port: "input" },
      graph,
    });
  });
}

/** Nodes `in` (gegl:nop, where the input image enters) → `blur` (gegl:gaussian-blur). */
const addBlur = (graph: string) =>
  addChain(graph, ["in", "gegl/nop"], ["blur", "gegl/gaussian-blur"]);

async function fetchPreview(url: string): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(60_000) });
}

beforeAll(async () => {
  const port = await freePort();
  configDir = await mkdtemp(join(tmpdir(), "imgflo-fbp-test-"));
  origin = await startOrigin({
    RENDER_CONCURRENCY: "1",
    RUNTIME_PORT: String(port),
    RUNTIME_SECRET: SECRET,
    RUNTIME_SAVE_DIR: join(configDir, "graphs"),
  });
  runtimeUrl = `ws://127.0.0.1:${port}/`;
  client = await connectFbp(runtimeUrl, SECRET);
});

afterAll(async () => {
  await client?.close();
  await origin?.stop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

describe("the FBP runtime", () => {
  it("passes fbp-protocol's own conformance suite (fbp-test)", async () => {
    const port = Number(new URL(runtimeUrl).port);
    await writeFile(
      join(configDir, "fbp-config.json"),
      JSON.stringify({
        name: "imgflo",
        command: null,
        host: "127.0.0.1",
        port,
        collection: "core",
        version: "0.7",
      }),
    );
    const child = spawn(process.execPath, ["node_modules/fbp-protocol/bin/fbp-test"], {
      cwd: ROOT,
      env: { ...process.env, PROJECT_HOME: configDir, FBP_PROTOCOL_SECRET: SECRET },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const [code] = await once(child, "exit");
    expect(output).toMatch(/\d+ passing/);
    expect(code, output).toBe(0);
  }, 60_000);

  it("refuses every message without the right secret", async () => {
    const stranger = await connectFbp(runtimeUrl, null);
    try {
      stranger.send("runtime", "getruntime");
      const refused = await stranger.next("runtime", "error");
      expect(refused.payload.message).toMatch(/secret/);
      stranger.send("graph", "clear", { id: "intruder" }, "wrong-secret");
      expect((await stranger.next("graph", "error")).payload.message).toMatch(/secret/);
      stranger.send("network", "getstatus", { graph: "intruder" }, SECRET);
      const status = await stranger.next("network", "error");
      expect(status.payload.message).toBe("Requested graph not found");
      expect(stranger.received.some((message) => message.command === "runtime")).toBe(false);
    } finally {
      await stranger.close();
    }
  });

  it("closes a connection sending an oversized message, and carries on", async () => {
    const careless = await connectFbp(runtimeUrl, SECRET);
    careless.send("graph", "clear", { id: "huge", description: "x".repeat(2 * 1024 * 1024) });
    await careless.closed;
    expect((await origin.healthz()).status).toBe("ok");
    client.send("network", "getstatus", { graph: "huge" });
    expect((await client.next("network", "error")).payload.message).toBe(
      "Requested graph not found",
    );
  });

  it("describes itself as an imgflo runtime", async () => {
    client.send("runtime", "getruntime");
    const runtime = await client.next("runtime", "runtime");
    expectValid(runtime);
    expect(runtime.payload).toMatchObject({ type: "imgflo", version: "0.7" });
    expect(runtime.payload.capabilities).toEqual(
      expect.arrayContaining([
        "protocol:runtime",
        "protocol:graph",
        "protocol:component",
        "protocol:network",
      ]),
    );
  });

  it("lists GEGL's operations as components with typed ports, the catalogue and core", async () => {
    client.send("component", "list");
    const ready = await client.next("component", "componentsready");
    const components = client.received.filter((message) => message.command === "component");
    expect(components.length).toBe(ready.payload);
    for (const component of components) expectValid(component);
    const byName = new Map(components.map((message) => [message.payload.name, message.payload]));
    const blur = byName.get("gegl/gaussian-blur") as Record<string, unknown>;
    expect(blur.inPorts).toEqual(
      expect.arrayContaining([
        { id: "input", type: "buffer" },
        expect.objectContaining({ id: "std-dev-x", type: "number", minimum: 0, default: 1.5 }),
        expect.objectContaining({
          id: "abyss-policy",
          type: "enum",
          values: expect.arrayContaining(["clamp"]),
        }),
      ]),
    );
    expect(blur.outPorts).toEqual([{ id: "output", type: "buffer" }]);
    expect(byName.get("gegl/color-overlay")?.inPorts).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: "value", type: "color" })]),
    );
    expect(byName.get("graphs/gradientmap")).toMatchObject({ subgraph: true });
    for (const name of ["core/Repeat", "core/Drop", "core/Output", "imgflo/custom-grey"]) {
      expect(byName.has(name), name).toBe(true);
    }
  });

  it("refuses component:source: no code from clients", async () => {
    client.send("component", "source", { name: "Evil", language: "c", code: "int main(){}" });
    const error = await client.next("component", "error");
    expectValid(error);
    expect(error.payload.message).toMatch(/not supported/);
  });

  it("announces preview URLs and renders a node's picture through the origin's workers", async () => {
    const graph = "preview";
    client.send("graph", "clear", { id: graph, main: true });
    addBlur(graph);
    setInitial(graph, "in", "input", `${origin.url}files/grid-toastybob.jpg`);
    client.send("network", "start", { graph });
    const output = await client.next(
      "network",
      "output",
      (message) => message.payload.type === "previewurl",
    );
    expectValid(output);
    const edge = await client.next("network", "data", (message) => message.payload.graph === graph);
    expectValid(edge);
    expect(edge.payload).toMatchObject({
      src: { node: "in", port: "output" },
      data: { type: "previewurl" },
    });
    const sharp = await fetchPreview(output.payload.url as string);
    expect(sharp.status).toBe(200);
    expect(sharp.headers.get("content-type")).toBe("image/png");

    setInitial(graph, "blur", "std-dev-x", 12);
    setInitial(graph, "blur", "std-dev-y", 12);
    const changed = await client.next(
      "network",
      "output",
      (message) => message.payload.url !== output.payload.url,
    );
    const blurred = await fetchPreview(changed.payload.url as string);
    expect(blurred.status).toBe(200);
    const sharpImage = await pixelsOf(Buffer.from(await sharp.arrayBuffer()));
    const blurredImage = await pixelsOf(Buffer.from(await blurred.arrayBuffer()));
    expect(Math.max(sharpImage.width, sharpImage.height)).toBe(512);
    expect(edgeEnergy(blurredImage.pixels)).toBeLessThan(edgeEnergy(sharpImage.pixels) * 0.7);

    const small = await fetchPreview(`${changed.payload.url}&width=64`);
    expect((await pixelsOf(Buffer.from(await small.arrayBuffer()))).width).toBe(64);
  }, 60_000);

  it("answers unknown graphs and nodes, and invalid graphs, with JSON errors", async () => {
    const base = runtimeUrl.replace("ws:", "http:");
    const unknown = await fetchPreview(`${base}process?graph=nope&node=x`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "not-found" });
    const node = await fetchPreview(`${base}process?graph=preview&node=nope`);
    expect(node.status).toBe(404);
    const width = await fetchPreview(`${base}process?graph=preview&node=blur&width=0`);
    expect(width.status).toBe(400);
    setInitial("preview", "blur", "std-dev-x", "not-a-number");
    await client.next(
      "graph",
      "addinitial",
      (message) => (message.payload.src as { data?: unknown }).data === "not-a-number",
    );
    const invalid = await fetchPreview(`${base}process?graph=preview&node=blur`);
    expect(invalid.status).toBe(400);
    setInitial("preview", "blur", "std-dev-x", 2);
  });

  it("refuses a live graph with a cycle or a pad fed twice, saying so (400 invalid-graph)", async () => {
    const graph = "tangled";
    const base = runtimeUrl.replace("ws:", "http:");
    client.send("graph", "clear", { id: graph });
    addChain(graph, ["in", "gegl/nop"], ["over", "svg/src-over"], ["out", "gegl/nop"]);
    setInitial(graph, "in", "input", `${origin.url}files/gridbear.jpg`);
    /** Adds the edge `from` → `to`.`port` and expects the preview to be refused. */
    const expectRefused = async (from: string, to: string, port: string, why: RegExp) => {
      const ends = { src: { node: from, port: "output" }, tgt: { node: to, port } };
      client.send("graph", "addedge", { ...ends, graph });
      await client.next(
        "graph",
        "addedge",
        (message) =>
          message.payload.graph === graph &&
          JSON.stringify(message.payload.tgt) === JSON.stringify(ends.tgt),
      );
      const preview = await fetchPreview(`${base}process?graph=${graph}&node=out&width=64`);
      expect(preview.status).toBe(400);
      expect(await preview.json()).toMatchObject({
        code: "invalid-graph",
        error: expect.stringMatching(why),
      });
    };
    await expectRefused("out", "over", "aux", /connections form a cycle \(".*"\)/);
    client.send("graph", "removeedge", {
      src: { node: "out", port: "output" },
      tgt: { node: "over", port: "aux" },
      graph,
    });
    await expectRefused("in", "out", "input", /input pad out.input is fed by both/);
  });

  it("takes the input URL on a gegl/load node's path, as classic imgflo graphs do", async () => {
    const graph = "load";
    client.send("graph", "clear", { id: graph });
    addChain(graph, ["load", "gegl/load"], ["invert", "gegl/invert-gamma"]);
    setInitial(graph, "load", "path", `${origin.url}files/gridbear.jpg`);
    await client.next("graph", "addinitial", (message) => message.payload.graph === graph);
    const base = runtimeUrl.replace("ws:", "http:");
    const response = await fetchPreview(`${base}process?graph=${graph}&node=invert&width=100`);
    expect(response.status).toBe(200);
    const image = await pixelsOf(Buffer.from(await response.arrayBuffer()));
    expect(image.width).toBe(100);
  });

  it("renders image URLs on other image pads too (image inports), like the input", async () => {
    const graph = "stamped";
    client.send("graph", "clear", { id: graph });
    addChain(graph, ["in", "gegl/nop"], ["over", "imgflo/blend"]);
    setInitial(graph, "in", "input", `${origin.url}files/gridbear.jpg`);
    setInitial(graph, "over", "aux", `${origin.url}graph/canvas.png?color=%23ff0000&width=150`);
    await client.next("graph", "addinitial", (message) => message.payload.graph === graph);
    await client.next("graph", "addinitial", (message) => message.payload.graph === graph);
    const base = runtimeUrl.replace("ws:", "http:");
    const response = await fetchPreview(`${base}process?graph=${graph}&node=over&width=150`);
    expect(response.status, await response.clone().text()).toBe(200);
    const image = await pixelsOf(Buffer.from(await response.arrayBuffer()));
    expect([...image.pixels.subarray(0, 3)]).toEqual([255, 0, 0]);
  });

  it("renders catalogue graphs used as components (graphs/<name>)", async () => {
    const graph = "subgraph";
    client.send("graph", "clear", { id: graph });
    addChain(graph, ["in", "gegl/nop"], ["soft", "graphs/gaussianblur"]);
    setInitial(graph, "in", "input", `${origin.url}files/grid-toastybob.jpg`);
    const base = runtimeUrl.replace("ws:", "http:");
    const preview = async (node: string) => {
      const response = await fetchPreview(`${base}process?graph=${graph}&node=${node}&width=200`);
      expect(response.status).toBe(200);
      return pixelsOf(Buffer.from(await response.arrayBuffer()));
    };
    setInitial(graph, "soft", "std-dev-x", 15);
    await client.next("graph", "addinitial", (message) => message.payload.graph === graph);
    await client.next("graph", "addinitial", (message) => message.payload.graph === graph);
    const sharp = await preview("in");
    const soft = await preview("soft");
    expect(edgeEnergy(soft.pixels)).toBeLessThan(edgeEnergy(sharp.pixels) * 0.7);
  });

  it("fetches URL inputs with the SSRF rules of processing URLs", async () => {
    const graph = "ssrf";
    client.send("graph", "clear", { id: graph });
    client.send("graph", "addnode", { id: "in", component: "gegl/nop", graph });
    setInitial(graph, "in", "input", "http://127.0.0.1:9/secret.png");
    await client.next("graph", "addinitial", (message) => message.payload.graph === graph);
    const base = runtimeUrl.replace("ws:", "http:");
    const refused = await fetchPreview(`${base}process?graph=${graph}&node=in`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "input-forbidden" });
  });

  it("saves the main graph into the save folder (network:persist) as a graph file origins serve", async () => {
    const graph = "saved_blur";
    client.send("graph", "clear", { id: graph, main: true, description: "Saved from the runtime" });
    addBlur(graph);
    client.send("graph", "addinport", { public: "input", node: "in", port: "input", graph });
    client.send("graph", "addoutport", { public: "output", node: "blur", port: "output", graph });
    setInitial(graph, "in", "input", "files/gridbear.jpg");
    setInitial(graph, "blur", "std-dev-x", 3);
    const ports = await client.next(
      "runtime",
      "ports",
      (message) => message.payload.graph === graph && (message.payload.outPorts as []).length > 0,
    );
    expectValid(ports);
    expect(ports.payload).toMatchObject({
      inPorts: [{ id: "input", type: "buffer" }],
      outPorts: [{ id: "output", type: "buffer" }],
    });
    client.send("network", "persist");
    expectValid(await client.next("network", "persist"));
    const saved = join(configDir, "graphs");
    const text = await readFile(join(saved, `${graph}.json`), "utf8");
    const loaded = buildCatalogue([parseGraphSource({ name: graph, kind: "json", text })]).get(
      graph,
    );
    expect(loaded).toMatchObject({
      description: "Saved from the runtime",
      input: { process: "in" },
    });
    expect(text).not.toContain("gridbear");

    const restarted = await startOrigin({ RENDER_CONCURRENCY: "1" }, ["--graphs", saved]);
    try {
      // A relative input is one of the origin's own files, read in-process.
      const response = await restarted.get(`graph/${graph}.png?input=files%2Fgridbear.jpg`);
      expect(response.status).toBe(200);
    } finally {
      await restarted.stop();
    }
  }, 90_000);

  it("limits the size of graphs", async () => {
    const graph = "big";
    client.send("graph", "clear", { id: graph });
    for (let i = 0; i <= 200; i++)
      client.send("graph", "addnode", { id: `n${i}`, component: "core/Repeat", graph });
    const error = await client.next("graph", "error");
    expect(error.payload.message).toMatch(/at most 200 nodes/);
  });
});

/** Sum of absolute differences between horizontal neighbours: lower once blurred. */
function edgeEnergy(pixels: Buffer): number {
  let sum = 0;
  for (let i = 4; i < pixels.length; i += 4)
    sum += Math.abs((pixels[i] ?? 0) - (pixels[i - 4] ?? 0));
  return sum;
}
