import type { FbpGraph } from "../../shared/graph-definition.ts";
import { catalogueGraphJson } from "../../shared/graph-export.ts";
import { IMAGE_TYPE } from "../../shared/inport-metadata.ts";
import type { UrlParams } from "../../shared/signed-url.ts";

/** The editor's copy of the runtime's graph, kept from the runtime's own `graph:*` messages. */
export interface EditorGraph {
  id: string;
  nodes: Record<string, { component: string; metadata: Record<string, unknown> }>;
  edges: EditorEdge[];
  initials: EditorInitial[];
  inports: Record<string, ExportedPort>;
  outports: Record<string, ExportedPort>;
}

export interface Port {
  node: string;
  port: string;
}

export interface EditorEdge {
  src: Port;
  tgt: Port;
}

export interface EditorInitial {
  data: unknown;
  tgt: Port;
}

export interface ExportedPort extends Port {
  metadata?: Record<string, unknown>;
}

export interface GraphMessage {
  command: string;
  payload: Record<string, unknown>;
}

export const emptyGraph = (id: string): EditorGraph => ({
  id,
  nodes: {},
  edges: [],
  initials: [],
  inports: {},
  outports: {},
});

const samePort = (a: Port, b: Port) => a.node === b.node && a.port === b.port;
const portOf = (value: unknown): Port => {
  const { node, port } = value as Port;
  return { node, port };
};

/** The graph after one `graph:*` message of the runtime (an echo of an edit, or a cascade). */
export function applyGraphMessage(
  graph: EditorGraph,
  { command, payload }: GraphMessage,
): EditorGraph {
  const next = { ...graph };
  const rename = (port: Port, from: string, to: string) =>
    port.node === from ? { ...port, node: to } : port;
  switch (command) {
    case "addnode":
      next.nodes = {
        ...graph.nodes,
        [String(payload.id)]: {
          component: String(payload.component),
          metadata: (payload.metadata as Record<string, unknown>) ?? {},
        },
      };
      break;
    case "changenode": {
      const node = graph.nodes[String(payload.id)];
      if (node) {
        const metadata = (payload.metadata as Record<string, unknown>) ?? {};
        next.nodes = { ...graph.nodes, [String(payload.id)]: { ...node, metadata } };
      }
      break;
    }
    case "removenode": {
      const { [String(payload.id)]: _removed, ...rest } = graph.nodes;
      next.nodes = rest;
      break;
    }
    case "renamenode": {
      const from = String(payload.from);
      const to = String(payload.to);
      const { [from]: node, ...rest } = graph.nodes;
      if (node) next.nodes = { ...rest, [to]: node };
      next.edges = graph.edges.map((e) => ({
        src: rename(e.src, from, to),
        tgt: rename(e.tgt, from, to),
      }));
      next.initials = graph.initials.map((i) => ({ ...i, tgt: rename(i.tgt, from, to) }));
      break;
    }
    case "addedge":
      next.edges = [...graph.edges, { src: portOf(payload.src), tgt: portOf(payload.tgt) }];
      break;
    case "removeedge": {
      const src = portOf(payload.src);
      const tgt = portOf(payload.tgt);
      next.edges = graph.edges.filter((e) => !(samePort(e.src, src) && samePort(e.tgt, tgt)));
      break;
    }
    case "addinitial": {
      const tgt = portOf(payload.tgt);
      const data = (payload.src as { data: unknown }).data;
      next.initials = [...graph.initials.filter((i) => !samePort(i.tgt, tgt)), { data, tgt }];
      break;
    }
    case "removeinitial": {
      const tgt = portOf(payload.tgt);
      next.initials = graph.initials.filter((i) => !samePort(i.tgt, tgt));
      break;
    }
    case "addinport":
    case "addoutport": {
      const side = command === "addinport" ? "inports" : "outports";
      const port: ExportedPort = { node: String(payload.node), port: String(payload.port) };
      if (payload.metadata) port.metadata = payload.metadata as Record<string, unknown>;
      next[side] = { ...graph[side], [String(payload.public)]: port };
      break;
    }
    case "removeinport":
    case "removeoutport": {
      const side = command === "removeinport" ? "inports" : "outports";
      const { [String(payload.public)]: _removed, ...rest } = graph[side];
      next[side] = rest;
      break;
    }
  }
  return next;
}

/** The value a node's port has now: its initial value, else the component's default. */
export function portValue(
  graph: EditorGraph,
  node: string,
  port: string,
  fallback: unknown,
): unknown {
  return graph.initials.find((i) => i.tgt.node === node && i.tgt.port === port)?.data ?? fallback;
}

/** The name of the inport exported from this node's port, if any. */
export function exposedInportOf(graph: EditorGraph, node: string, port: string): string | null {
  const found = Object.entries(graph.inports).find(
    ([, exported]) => exported.node === node && exported.port === port,
  );
  return found ? found[0] : null;
}

/** The `addinport` payload exporting an image pad as an image inport (contract §8). */
export function imageInport(node: string, port: string, inport: string): Record<string, unknown> {
  return {
    public: inport,
    node,
    port,
    metadata: { type: IMAGE_TYPE, description: `Image URL for ${node}.${port}` },
  };
}

/** The FBP JSON of the graph, as `graphs/` holds it (the preview image left out). */
export function exportGraph(graph: EditorGraph, description: string): FbpGraph {
  const ref = ({ node, port, metadata }: ExportedPort) => ({
    process: node,
    port,
    ...(metadata ? { metadata } : {}),
  });
  const exported = (ports: Record<string, ExportedPort>) =>
    Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, ref(port)]));
  return catalogueGraphJson({
    properties: { name: graph.id, description },
    inports: exported(graph.inports),
    outports: exported(graph.outports),
    processes: Object.fromEntries(
      Object.entries(graph.nodes).map(([id, { component, metadata }]) => [
        id,
        { component, metadata },
      ]),
    ),
    connections: [
      ...graph.edges.map(({ src, tgt }) => ({
        src: { process: src.node, port: src.port },
        tgt: { process: tgt.node, port: tgt.port },
      })),
      ...graph.initials.map(({ data, tgt }) => ({
        data,
        tgt: { process: tgt.node, port: tgt.port },
      })),
    ],
  });
}

/** The processing URL parameters: the input image and each exported inport's current value. */
export function processingParams(graph: EditorGraph): UrlParams {
  const params: UrlParams = {};
  for (const [name, { node, port, metadata }] of Object.entries(graph.inports)) {
    const value = portValue(graph, node, port, metadata?.default);
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      params[name] = value;
    }
  }
  return params;
}

const LAYER_WIDTH = 240;
const ROW_HEIGHT = 130;

/** Positions for a graph file without any: longest-path layers from left to right. */
export function layoutPositions(definition: FbpGraph): Record<string, { x: number; y: number }> {
  const ids = Object.keys(definition.processes ?? {});
  const layer = new Map(ids.map((id) => [id, 0]));
  const edges = (definition.connections ?? []).flatMap((c) =>
    "src" in c && c.src ? [[c.src.process, c.tgt.process] as const] : [],
  );
  // Bounded by the node count: a cycle cannot loop for ever.
  for (let round = 0; round < ids.length; round++) {
    for (const [from, to] of edges) {
      const candidate = (layer.get(from) ?? 0) + 1;
      if (candidate > (layer.get(to) ?? 0)) layer.set(to, candidate);
    }
  }
  const rows = new Map<number, number>();
  const positions: Record<string, { x: number; y: number }> = {};
  for (const id of ids) {
    const column = layer.get(id) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions[id] = { x: column * LAYER_WIDTH, y: row * ROW_HEIGHT };
  }
  return positions;
}
