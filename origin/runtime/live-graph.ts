import { Graph } from "fbp-graph";
import { announceChanges } from "./graph-announcements.ts";
import type { Send } from "./messages.ts";

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
    announceChanges(this.graph, id, send);
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
