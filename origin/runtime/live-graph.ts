import { Graph } from "fbp-graph";
import type {
  GraphEdge,
  GraphExportedPort,
  GraphGroup,
  GraphIIP,
  GraphNode,
} from "fbp-graph/lib/Types.js";
import type { Payload, Send } from "./messages.ts";

export interface NetworkState {
  started: boolean;
  running: boolean;
  startedAt: number;
}

/** Payload fields the protocol carries on `graph:clear`, kept to answer it and to save the graph. */
export interface GraphLabels {
  name?: string;
  library?: string;
  main?: boolean;
  icon?: string;
  description?: string;
}

const port = (end: { node: string; port: string; index?: number }) =>
  end.index === undefined
    ? { node: end.node, port: end.port }
    : { node: end.node, port: end.port, index: end.index };

const withMetadata = (payload: Payload, metadata: Payload | undefined) =>
  metadata && Object.keys(metadata).length > 0 ? { ...payload, metadata } : payload;

/**
 * A graph being edited over the protocol: the fbp-graph model, the network's state, the packets
 * sent to its inports, and a revision that changes with every edit that may change the picture.
 */
export class LiveGraph {
  readonly graph: Graph;
  readonly network: NetworkState = { started: false, running: false, startedAt: 0 };
  /** The last data packet sent to each exported inport (`runtime:packet`). */
  readonly inportPackets = new Map<string, unknown>();
  revision = 0;

  constructor(
    readonly id: string,
    readonly labels: GraphLabels,
    send: Send,
  ) {
    this.graph = new Graph(labels.name ?? id);
    if (labels.description) this.graph.setProperties({ description: labels.description });
    this.announce(send);
  }

  /** Every change of the model is told to the clients, cascades (edges of a removed node) included. */
  private announce(send: Send): void {
    const graph = this.id;
    const on = (event: string, listener: (...args: never[]) => void) =>
      this.graph.on(event, listener as (...args: unknown[]) => void);
    on("addNode", (node: GraphNode) =>
      send("graph", "addnode", {
        id: node.id,
        component: node.component,
        metadata: node.metadata ?? {},
        graph,
      }),
    );
    on("removeNode", (node: GraphNode) => send("graph", "removenode", { id: node.id, graph }));
    on("renameNode", (from: string, to: string) =>
      send("graph", "renamenode", { from, to, graph }),
    );
    on("changeNode", (node: GraphNode) =>
      send("graph", "changenode", { id: node.id, metadata: node.metadata ?? {}, graph }),
    );
    on("addEdge", (edge: GraphEdge) =>
      send("graph", "addedge", {
        src: port(edge.from),
        tgt: port(edge.to),
        metadata: edge.metadata ?? {},
        graph,
      }),
    );
    on("removeEdge", (edge: GraphEdge) =>
      send("graph", "removeedge", { src: port(edge.from), tgt: port(edge.to), graph }),
    );
    on("changeEdge", (edge: GraphEdge) =>
      send("graph", "changeedge", {
        src: port(edge.from),
        tgt: port(edge.to),
        metadata: edge.metadata ?? {},
        graph,
      }),
    );
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

  /** The graph as FBP JSON (the format of graphs/), with the labels of `graph:clear`. */
  toJson() {
    const json = this.graph.toJSON();
    json.properties = {
      ...json.properties,
      name: this.labels.name ?? this.id,
      environment: { type: "imgflo" },
      ...(this.labels.description ? { description: this.labels.description } : {}),
    };
    return json;
  }
}
