import type { ComponentLibrary, CoreBehaviour } from "./components.ts";
import type { LiveGraph } from "./live-graph.ts";
import { type Payload, type PortRef, ProtocolError, type Send } from "./messages.ts";

// A cycle of core components would otherwise pass packets for ever.
const MAX_DELIVERIES = 1000;
// Edits arriving together (an editor's drag and drop) produce one round of previews.
const PREVIEW_COALESCE_MS = 20;

/** `Hello() OUT -> IN World()`: the FBP DSL line naming an edge, as fbp-protocol expects. */
function edgeId(src: PortRef | null, tgt: PortRef): string {
  const from = src ? `${src.node}() ${src.port.toUpperCase()}` : "DATA";
  return `${from} -> ${tgt.port.toUpperCase()} ${tgt.node}()`;
}

/**
 * Runs live graphs. Core components pass packets (the protocol's own test components); image
 * components are not run here: the network announces preview URLs, rendered on request by
 * `GET /process`, after the start and after every edit that may change the picture.
 */
export class Network {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly library: ComponentLibrary,
    private readonly send: Send,
    /** The runtime's HTTP base URL, where `/process` renders previews. */
    private readonly previewBase: string,
  ) {}

  start(live: LiveGraph): void {
    live.network.started = true;
    live.network.running = true;
    live.network.startedAt = Date.now();
    this.send("network", "started", {
      graph: live.id,
      started: true,
      running: true,
      time: new Date().toISOString(),
    });
    const budget = { left: MAX_DELIVERIES };
    for (const iip of live.graph.initializers) {
      this.deliver(live, null, { node: iip.to.node, port: iip.to.port }, iip.from.data, budget);
    }
    this.previews(live);
    live.network.running = false;
  }

  stop(live: LiveGraph): void {
    const uptime = live.network.started ? (Date.now() - live.network.startedAt) / 1000 : 0;
    live.network.started = false;
    live.network.running = false;
    this.send("network", "stopped", {
      graph: live.id,
      started: false,
      running: false,
      time: new Date().toISOString(),
      uptime,
    });
  }

  status(live: LiveGraph): Payload {
    const { started, running } = live.network;
    return { graph: live.id, started, running };
  }

  /** A `runtime:packet` sent to an exported inport. */
  packet(live: LiveGraph, port: string, data: unknown): void {
    const target = live.graph.inports[port];
    if (!target) throw new ProtocolError(`Inport "${port}" not found`);
    live.inportPackets.set(port, data);
    const tgt = { node: target.process, port: target.port };
    if (this.behaviour(live, tgt.node)) {
      this.deliver(live, null, tgt, data, { left: MAX_DELIVERIES });
    } else {
      live.revision++;
      this.changed(live);
    }
  }

  /** After an edit: new previews for a started network, once per burst of edits. */
  changed(live: LiveGraph): void {
    if (!live.network.started || this.pending.has(live.id)) return;
    const timer = setTimeout(() => {
      this.pending.delete(live.id);
      if (live.network.started) this.previews(live);
    }, PREVIEW_COALESCE_MS);
    this.pending.set(live.id, timer);
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  previewUrl(live: LiveGraph, node: string): string {
    const url = new URL("process", this.previewBase);
    url.searchParams.set("graph", live.id);
    url.searchParams.set("node", node);
    // Each revision is a new URL, so that clients reload the picture.
    url.searchParams.set("rev", String(live.revision));
    return url.href;
  }

  private behaviour(live: LiveGraph, node: string): CoreBehaviour | null {
    const component = this.library.get(live.graph.getNode(node)?.component ?? "");
    return component?.kind === "core" ? component.behaviour : null;
  }

  /** GEGL operations and catalogue graphs: nodes with a picture. */
  private isImageNode(live: LiveGraph, node: string): boolean {
    const kind = this.library.get(live.graph.getNode(node)?.component ?? "")?.kind;
    return kind === "operation" || kind === "graph";
  }

  private deliver(
    live: LiveGraph,
    src: PortRef | null,
    tgt: PortRef,
    data: unknown,
    budget: { left: number },
  ): void {
    const behaviour = this.behaviour(live, tgt.node);
    if (!behaviour || budget.left-- <= 0) return;
    this.send("network", "data", {
      id: edgeId(src, tgt),
      graph: live.id,
      ...(src ? { src } : {}),
      tgt,
      data,
    });
    if (behaviour === "drop") return;
    if (behaviour === "output") {
      const message = typeof data === "string" ? data : JSON.stringify(data);
      this.send("network", "output", { message: message ?? "" });
    }
    const out = { node: tgt.node, port: "out" };
    for (const edge of live.graph.edges) {
      if (edge.from.node !== out.node || edge.from.port !== out.port) continue;
      this.deliver(live, out, { node: edge.to.node, port: edge.to.port }, data, budget);
    }
    for (const [name, exported] of Object.entries(live.graph.outports)) {
      if (exported.process === out.node && exported.port === out.port) {
        this.send("runtime", "packet", {
          graph: live.id,
          port: name,
          event: "data",
          payload: data,
        });
      }
    }
  }

  /** `network:output` with the picture of the graph's result, `network:data` with each edge's. */
  private previews(live: LiveGraph): void {
    const imageNodes = live.graph.nodes.filter((node) => this.isImageNode(live, node.id));
    if (imageNodes.length === 0) return;
    const imageEdges = live.graph.edges.filter(
      (edge) => this.isImageNode(live, edge.from.node) && this.isImageNode(live, edge.to.node),
    );
    const exported = live.graph.outports.output?.process;
    const results =
      exported && this.isImageNode(live, exported)
        ? [exported]
        : imageNodes
            .map((node) => node.id)
            .filter((id) => !imageEdges.some((edge) => edge.from.node === id));
    for (const node of results) {
      this.send("network", "output", {
        message: node,
        type: "previewurl",
        url: this.previewUrl(live, node),
      });
    }
    for (const edge of imageEdges) {
      const src = { node: edge.from.node, port: edge.from.port };
      const tgt = { node: edge.to.node, port: edge.to.port };
      this.send("network", "data", {
        id: edgeId(src, tgt),
        graph: live.id,
        src,
        tgt,
        data: { type: "previewurl", url: this.previewUrl(live, src.node) },
      });
    }
  }
}
