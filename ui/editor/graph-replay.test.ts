import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { applyGraphMessage, emptyGraph, exportGraph } from "./editor-graph.ts";
import { replayGraph } from "./graph-replay.ts";

describe("replayGraph", () => {
  it("builds a catalogue graph in the runtime: echoed back, it exports the same graph file", async () => {
    const file = new URL("../../graphs/gradientmap.json", import.meta.url);
    const definition = JSON.parse(await readFile(file, "utf8")) as FbpGraph;
    const { commands, positions } = replayGraph("copy", definition, "files/gridbear.jpg");
    expect(commands[0]).toMatchObject({ command: "clear", payload: { id: "copy", main: true } });
    expect(commands.at(-1)).toEqual({
      protocol: "network",
      command: "start",
      payload: { graph: "copy" },
    });
    expect(Object.keys(positions).sort()).toEqual(["map", "nop", "opacity", "over"]);
    // The runtime echoes each graph command; the editor's copy then exports the same graph.
    const graph = commands
      .filter((c) => c.protocol === "graph" && c.command !== "clear")
      .reduce((copy, message) => applyGraphMessage(copy, message), emptyGraph("copy"));
    const exported = exportGraph(graph, "same");
    expect(exported.inports).toEqual(definition.inports);
    expect(exported.outports).toEqual(definition.outports);
    expect(exported.connections).toEqual(expect.arrayContaining(definition.connections ?? []));
    expect(exported.connections).toHaveLength(definition.connections?.length ?? 0);
  });
});
