import { INPUT_PORT } from "../../shared/catalogue.ts";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { layoutPositions } from "./editor-graph.ts";

export interface ProtocolCommand {
  protocol: string;
  command: string;
  payload: Record<string, unknown>;
}

export interface Replay {
  commands: ProtocolCommand[];
  positions: Record<string, { x: number; y: number }>;
}

/**
 * The protocol commands that build a graph file in the runtime as its main graph `id`, with the
 * preview image on the `input` inport, then start its network; positions laid out where missing.
 */
export function replayGraph(id: string, definition: FbpGraph, inputImage: string): Replay {
  const commands: ProtocolCommand[] = [];
  const graph = (command: string, payload: Record<string, unknown>) =>
    commands.push({ protocol: "graph", command, payload: { ...payload, graph: id } });
  const description = definition.properties?.description ?? id;
  commands.push({
    protocol: "graph",
    command: "clear",
    payload: { id, name: id, main: true, description },
  });
  const layout = layoutPositions(definition);
  const positions: Replay["positions"] = {};
  for (const [node, process] of Object.entries(definition.processes ?? {})) {
    const metadata = { ...(process.metadata ?? {}) } as { x?: unknown; y?: unknown };
    const { x, y } =
      typeof metadata.x === "number" && typeof metadata.y === "number"
        ? { x: metadata.x, y: metadata.y }
        : (layout[node] ?? { x: 0, y: 0 });
    positions[node] = { x, y };
    graph("addnode", { id: node, component: process.component, metadata: { ...metadata, x, y } });
  }
  for (const connection of definition.connections ?? []) {
    const tgt = { node: connection.tgt.process, port: connection.tgt.port };
    if ("src" in connection && connection.src) {
      graph("addedge", { src: { node: connection.src.process, port: connection.src.port }, tgt });
    } else if ("data" in connection) {
      graph("addinitial", { src: { data: connection.data }, tgt });
    }
  }
  for (const side of ["inports", "outports"] as const) {
    for (const [name, port] of Object.entries(definition[side] ?? {})) {
      graph(side === "inports" ? "addinport" : "addoutport", {
        public: name,
        node: port.process,
        port: port.port,
        ...(port.metadata ? { metadata: port.metadata } : {}),
      });
    }
  }
  const target = definition.inports?.[INPUT_PORT];
  if (target) {
    graph("addinitial", {
      src: { data: inputImage },
      tgt: { node: target.process, port: target.port },
    });
  }
  commands.push({ protocol: "network", command: "start", payload: { graph: id } });
  return { commands, positions };
}
