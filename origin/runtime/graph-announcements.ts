import type { Graph } from "fbp-graph";
import type {
  GraphEdge,
  GraphExportedPort,
  GraphGroup,
  GraphIIP,
  GraphNode,
} from "fbp-graph/lib/Types.js";
import type { Payload, Send } from "./messages.ts";

/** Listens to one event of the fbp-graph model. */
type On = (event: string, listener: (...args: never[]) => void) => void;

const port = (end: { node: string; port: string; index?: number }) =>
  end.index === undefined
    ? { node: end.node, port: end.port }
    : { node: end.node, port: end.port, index: end.index };

const withMetadata = (payload: Payload, metadata: Payload | undefined) =>
  metadata && Object.keys(metadata).length > 0 ? { ...payload, metadata } : payload;

/**
 * Every change of the model is told to the clients as the `graph:` message of that edit, cascades
 * (edges of a removed node) included; `id` is the graph the messages name.
 */
export function announceChanges(model: Graph, id: string, send: Send): void {
  const on: On = (event, listener) => model.on(event, listener as (...args: unknown[]) => void);
  announceNodes(on, send, id);
  announceEdges(on, send, id);
  announceInitials(on, send, id);
  announceExportedPorts(on, send, id);
  announceGroups(on, send, id);
}

function announceNodes(on: On, send: Send, graph: string): void {
  on("addNode", (node: GraphNode) =>
    send("graph", "addnode", {
      id: node.id,
      component: node.component,
      metadata: node.metadata ?? {},
      graph,
    }),
  );
  on("removeNode", (node: GraphNode) => send("graph", "removenode", { id: node.id, graph }));
  on("renameNode", (from: string, to: string) => send("graph", "renamenode", { from, to, graph }));
  on("changeNode", (node: GraphNode) =>
    send("graph", "changenode", { id: node.id, metadata: node.metadata ?? {}, graph }),
  );
}

function announceEdges(on: On, send: Send, graph: string): void {
  const edgeWithMetadata = (edge: GraphEdge) => ({
    src: port(edge.from),
    tgt: port(edge.to),
    metadata: edge.metadata ?? {},
    graph,
  });
  on("addEdge", (edge: GraphEdge) => send("graph", "addedge", edgeWithMetadata(edge)));
  on("removeEdge", (edge: GraphEdge) =>
    send("graph", "removeedge", { src: port(edge.from), tgt: port(edge.to), graph }),
  );
  on("changeEdge", (edge: GraphEdge) => send("graph", "changeedge", edgeWithMetadata(edge)));
}

function announceInitials(on: On, send: Send, graph: string): void {
  on("addInitial", (iip: GraphIIP) =>
    send("graph", "addinitial", {
      src: { data: iip.from.data },
      tgt: port(iip.to),
      metadata: iip.metadata ?? {},
      graph,
    }),
  );
  on("removeInitial", (iip: GraphIIP) =>
    send("graph", "removeinitial", { src: { data: iip.from.data }, tgt: port(iip.to), graph }),
  );
}

/** Inports and outports alike: `addInport` is told as `addinport`, `addOutport` as `addoutport`. */
function announceExportedPorts(on: On, send: Send, graph: string): void {
  for (const side of ["In", "Out"] as const) {
    const kind = side.toLowerCase();
    on(`add${side}port`, (name: string, exported: GraphExportedPort) =>
      send(
        "graph",
        `add${kind}port`,
        withMetadata(
          { public: name, node: exported.process, port: exported.port, graph },
          exported.metadata,
        ),
      ),
    );
    on(`remove${side}port`, (name: string) =>
      send("graph", `remove${kind}port`, { public: name, graph }),
    );
    on(`rename${side}port`, (from: string, to: string) =>
      send("graph", `rename${kind}port`, { from, to, graph }),
    );
  }
}

function announceGroups(on: On, send: Send, graph: string): void {
  on("addGroup", (group: GraphGroup) =>
    send("graph", "addgroup", {
      name: group.name,
      nodes: group.nodes,
      metadata: group.metadata ?? {},
      graph,
    }),
  );
  on("removeGroup", (group: GraphGroup) =>
    send("graph", "removegroup", { name: group.name, graph }),
  );
  on("renameGroup", (from: string, to: string) =>
    send("graph", "renamegroup", { from, to, graph }),
  );
  on("changeGroup", (group: GraphGroup) =>
    send("graph", "changegroup", { name: group.name, metadata: group.metadata ?? {}, graph }),
  );
}
