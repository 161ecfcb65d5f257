import { GRAPH_SIZE_LIMITS } from "../compile/graph-compiler.ts";
import type { ComponentLibrary } from "./components.ts";
import { type GraphLabels, LiveGraph } from "./live-graph.ts";
import {
  optionalObject,
  type Payload,
  type PortRef,
  ProtocolError,
  requirePort,
  requireString,
  type Send,
} from "./messages.ts";

/** Bounds on what one runtime holds, so that a client cannot exhaust the origin's memory. */
export const GRAPH_LIMITS = {
  graphs: 32,
  ...GRAPH_SIZE_LIMITS,
  /** Characters of one initial value once serialised. */
  initialValue: 8192,
};

export interface GraphContext {
  graphs: Map<string, LiveGraph>;
  library: ComponentLibrary;
  send: Send;
  /** Called after an edit that may change the picture. */
  changed(live: LiveGraph): void;
}

/** Commands that only change metadata: the picture stays the same. */
const METADATA_ONLY = new Set([
  "changenode",
  "changeedge",
  "addgroup",
  "removegroup",
  "renamegroup",
  "changegroup",
]);

/** The graph a command names, with fbp-protocol's own error messages. */
export function liveGraph(graphs: ReadonlyMap<string, LiveGraph>, payload: Payload): LiveGraph {
  if (payload.graph === undefined) throw new ProtocolError("No graph specified");
  const live = graphs.get(String(payload.graph));
  if (!live) throw new ProtocolError("Requested graph not found");
  return live;
}

function labelsOf(payload: Payload): GraphLabels {
  const labels: GraphLabels = {};
  for (const key of ["name", "library", "icon", "description"] as const) {
    if (typeof payload[key] === "string") labels[key] = payload[key];
  }
  if (typeof payload.main === "boolean") labels.main = payload.main;
  return labels;
}

function clear(context: GraphContext, payload: Payload): void {
  const id = requireString(payload, "id");
  if (!context.graphs.has(id) && context.graphs.size >= GRAPH_LIMITS.graphs) {
    throw new ProtocolError(`This runtime holds at most ${GRAPH_LIMITS.graphs} graphs`);
  }
  const labels = labelsOf(payload);
  context.graphs.get(id)?.graph.removeAllListeners();
  const live = new LiveGraph(id, labels, context.send);
  context.graphs.set(id, live);
  context.send("graph", "clear", { id, ...labels });
}

function node(live: LiveGraph, id: string) {
  const found = live.graph.getNode(id);
  if (!found) throw new ProtocolError(`Node "${id}" not found`);
  return found;
}

function connections(live: LiveGraph): number {
  return live.graph.edges.length + live.graph.initializers.length;
}

function checkConnectionRoom(live: LiveGraph): void {
  if (connections(live) >= GRAPH_LIMITS.connections) {
    throw new ProtocolError(
      `A graph has at most ${GRAPH_LIMITS.connections} edges and initial values`,
    );
  }
}

function edgeEnds(live: LiveGraph, payload: Payload): { src: PortRef; tgt: PortRef } {
  const src = requirePort(payload, "src");
  const tgt = requirePort(payload, "tgt");
  node(live, src.node);
  node(live, tgt.node);
  return { src, tgt };
}

function initialData(payload: Payload): unknown {
  const src = optionalObject(payload, "src");
  if (!src || !("data" in src)) throw new ProtocolError('"src" must be a {data} object');
  if (JSON.stringify(src.data ?? null).length > GRAPH_LIMITS.initialValue) {
    throw new ProtocolError(
      `An initial value may have at most ${GRAPH_LIMITS.initialValue} characters`,
    );
  }
  return src.data;
}

type Handler = (live: LiveGraph, payload: Payload, context: GraphContext) => void;

const HANDLERS: Record<string, Handler> = {
  addnode(live, payload, { library }) {
    const id = requireString(payload, "id");
    const component = requireString(payload, "component");
    if (!library.get(component))
      throw new ProtocolError(`Component "${component}" is not available`);
    if (live.graph.getNode(id)) throw new ProtocolError(`Node "${id}" already exists`);
    if (live.graph.nodes.length >= GRAPH_LIMITS.nodes) {
      throw new ProtocolError(`A graph has at most ${GRAPH_LIMITS.nodes} nodes`);
    }
    live.graph.addNode(id, component, optionalObject(payload, "metadata") ?? {});
  },
  removenode(live, payload) {
    live.graph.removeNode(node(live, requireString(payload, "id")).id);
  },
  renamenode(live, payload) {
    const from = node(live, requireString(payload, "from")).id;
    const to = requireString(payload, "to");
    if (live.graph.getNode(to)) throw new ProtocolError(`Node "${to}" already exists`);
    live.graph.renameNode(from, to);
  },
  changenode(live, payload) {
    const id = node(live, requireString(payload, "id")).id;
    live.graph.setNodeMetadata(id, optionalObject(payload, "metadata") ?? {});
  },
  addedge(live, payload) {
    const { src, tgt } = edgeEnds(live, payload);
    checkConnectionRoom(live);
    if (live.graph.getEdge(src.node, src.port, tgt.node, tgt.port)) {
      throw new ProtocolError("This edge already exists");
    }
    live.graph.addEdgeIndex(
      src.node,
      src.port,
      src.index,
      tgt.node,
      tgt.port,
      tgt.index,
      optionalObject(payload, "metadata") ?? {},
    );
  },
  removeedge(live, payload) {
    const { src, tgt } = edgeEnds(live, payload);
    if (!live.graph.getEdge(src.node, src.port, tgt.node, tgt.port)) {
      throw new ProtocolError("Edge not found");
    }
    live.graph.removeEdge(src.node, src.port, tgt.node, tgt.port);
  },
  changeedge(live, payload) {
    const { src, tgt } = edgeEnds(live, payload);
    if (!live.graph.getEdge(src.node, src.port, tgt.node, tgt.port)) {
      throw new ProtocolError("Edge not found");
    }
    const metadata = optionalObject(payload, "metadata") ?? {};
    live.graph.setEdgeMetadata(src.node, src.port, tgt.node, tgt.port, metadata);
  },
  addinitial(live, payload) {
    const data = initialData(payload);
    const tgt = requirePort(payload, "tgt");
    node(live, tgt.node);
    // One initial value per port: a new one replaces the old (how editors change a property).
    const port = live.graph.getPortName(tgt.port);
    if (live.graph.initializers.some((iip) => iip.to.node === tgt.node && iip.to.port === port)) {
      live.graph.removeInitial(tgt.node, tgt.port);
    } else {
      checkConnectionRoom(live);
    }
    live.graph.addInitial(data, tgt.node, tgt.port, optionalObject(payload, "metadata") ?? {});
  },
  removeinitial(live, payload) {
    const tgt = requirePort(payload, "tgt");
    const port = live.graph.getPortName(tgt.port);
    if (!live.graph.initializers.some((iip) => iip.to.node === tgt.node && iip.to.port === port)) {
      throw new ProtocolError(`No initial value on ${tgt.node}.${tgt.port}`);
    }
    live.graph.removeInitial(tgt.node, tgt.port);
  },
  addinport(live, payload) {
    exportPort(live, payload, "inports");
  },
  addoutport(live, payload) {
    exportPort(live, payload, "outports");
  },
  removeinport(live, payload) {
    live.graph.removeInport(exported(live, payload, "public", "inports"));
    live.inportPackets.delete(String(payload.public));
  },
  removeoutport(live, payload) {
    live.graph.removeOutport(exported(live, payload, "public", "outports"));
  },
  renameinport(live, payload) {
    live.graph.renameInport(
      exported(live, payload, "from", "inports"),
      requireString(payload, "to"),
    );
  },
  renameoutport(live, payload) {
    live.graph.renameOutport(
      exported(live, payload, "from", "outports"),
      requireString(payload, "to"),
    );
  },
  addgroup(live, payload) {
    const name = requireString(payload, "name");
    const nodes = payload.nodes;
    if (!Array.isArray(nodes) || !nodes.every((id) => typeof id === "string")) {
      throw new ProtocolError('"nodes" must be a list of node ids');
    }
    for (const id of nodes) node(live, id);
    live.graph.addGroup(name, nodes, optionalObject(payload, "metadata") ?? {});
  },
  removegroup(live, payload) {
    live.graph.removeGroup(group(live, payload, "name"));
  },
  renamegroup(live, payload) {
    live.graph.renameGroup(group(live, payload, "from"), requireString(payload, "to"));
  },
  changegroup(live, payload) {
    live.graph.setGroupMetadata(
      group(live, payload, "name"),
      optionalObject(payload, "metadata") ?? {},
    );
  },
};

function exportPort(live: LiveGraph, payload: Payload, side: "inports" | "outports"): void {
  const name = requireString(payload, "public");
  const target = node(live, requireString(payload, "node")).id;
  const port = requireString(payload, "port");
  if (live.graph[side][name]) throw new ProtocolError(`Port "${name}" is already exported`);
  const metadata = optionalObject(payload, "metadata");
  if (side === "inports") live.graph.addInport(name, target, port, metadata);
  else live.graph.addOutport(name, target, port, metadata);
}

function exported(
  live: LiveGraph,
  payload: Payload,
  key: string,
  side: "inports" | "outports",
): string {
  const name = requireString(payload, key);
  if (!live.graph[side][name]) throw new ProtocolError(`Exported port "${name}" not found`);
  return name;
}

function group(live: LiveGraph, payload: Payload, key: string): string {
  const name = requireString(payload, key);
  if (!live.graph.groups.some((candidate) => candidate.name === name)) {
    throw new ProtocolError(`Group "${name}" not found`);
  }
  return name;
}

/** `graph:*` commands: build and edit graphs; every change is echoed by the graph's listeners. */
export function handleGraphCommand(command: string, payload: Payload, context: GraphContext): void {
  if (command === "clear") {
    clear(context, payload);
    return;
  }
  const handler = HANDLERS[command];
  if (!handler) throw new ProtocolError(`Unknown graph command "${command}"`);
  const live = liveGraph(context.graphs, payload);
  handler(live, payload, context);
  if (!METADATA_ONLY.has(command)) {
    live.revision++;
    context.changed(live);
  }
}
