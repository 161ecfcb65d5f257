import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderRequestFor } from "../test/harness/render-request.ts";
import { buildCatalogue } from "./catalogue.ts";
import type { FbpGraph } from "./graph-definition.ts";
import { graphHash } from "./graph-hash.ts";
import { parseGraphSource } from "./graph-source.ts";
import { sha256Hex } from "./sha256.ts";

const halodarken = () =>
  JSON.parse(
    readFileSync(new URL("../graphs/halodarken.json", import.meta.url), "utf8"),
  ) as FbpGraph;

const keyOf = async (definition: FbpGraph) =>
  (
    await renderRequestFor(
      buildCatalogue([{ name: "halodarken", definition }]),
      "/graph/halodarken.jpg?input=files/a.png&width=100",
    )
  ).cacheKey;

describe("sha256Hex", () => {
  it("is SHA-256 of the UTF-8 bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"));
      }),
    );
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});

describe("a graph's content hash (contract §7)", () => {
  it("changes with a value inside the graph that is no exported port, and with it the cache key", async () => {
    const graph = halodarken();
    const changed = halodarken();
    const initial = changed.connections?.find(
      (connection) => "data" in connection && connection.tgt.port === "keep-sign",
    );
    expect(initial).toBeDefined();
    (initial as { data: unknown }).data = !(initial as { data: unknown }).data;
    expect(graphHash(changed)).not.toBe(graphHash(graph));
    expect(await keyOf(changed)).not.toBe(await keyOf(graph));
  });

  it("changes with components, connections, exported ports' type, range and default, and input handling", () => {
    const base = halodarken();
    const variants: ((graph: FbpGraph) => void)[] = [
      (graph) => {
        (graph.processes as Record<string, { component: string }>).blur = {
          component: "gegl/box-blur",
        };
      },
      (graph) => graph.connections?.pop(),
      (graph) => {
        const port = Object.values(graph.inports ?? {}).find((p) => p.metadata);
        (port?.metadata as Record<string, unknown>).maximum = 12345;
      },
      (graph) => {
        const port = Object.values(graph.inports ?? {}).find((p) => p.metadata);
        (port?.metadata as Record<string, unknown>).default = 0.123;
      },
      (graph) => {
        graph.properties = { ...graph.properties, imgflo: { resize: "point-sampled" } };
      },
    ];
    for (const change of variants) {
      const graph = halodarken();
      change(graph);
      expect(graphHash(graph)).not.toBe(graphHash(base));
    }
  });

  it("ignores positions, labels, descriptions and the order things are written in", async () => {
    const graph = halodarken();
    const moved = halodarken();
    moved.properties = { ...moved.properties, description: "another text", name: "renamed" };
    for (const process of Object.values(moved.processes ?? {})) process.metadata = { x: 1, y: 2 };
    for (const port of Object.values(moved.inports ?? {})) {
      if (port.metadata) port.metadata.description = "reworded";
    }
    moved.connections = [...(moved.connections ?? [])].reverse();
    moved.processes = Object.fromEntries(Object.entries(moved.processes ?? {}).reverse());
    expect(graphHash(moved)).toBe(graphHash(graph));
    expect(await keyOf(moved)).toBe(await keyOf(graph));
  });

  it("is the same for a .fbp file and the FBP JSON it reads as", () => {
    const text =
      "'0.5' -> VALUE fade(gegl/opacity)\nINPORT=fade.INPUT:INPUT\nOUTPORT=fade.OUTPUT:OUTPUT";
    const fromDsl = parseGraphSource({ name: "fade", kind: "fbp", text }).definition;
    const json = JSON.parse(JSON.stringify(fromDsl)) as FbpGraph;
    expect(graphHash(json)).toBe(graphHash(fromDsl));
    expect(buildCatalogue([{ name: "fade", definition: fromDsl }]).get("fade")?.hash).toBe(
      graphHash(fromDsl),
    );
  });
});
