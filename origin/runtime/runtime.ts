import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { catalogueGraphJson } from "../../shared/graph-export.ts";
import { constantTimeEqual } from "../../shared/signature.ts";
import { type ComponentLibrary, componentDefinition } from "./components.ts";
import { handleGraphCommand, liveGraph } from "./graph-commands.ts";
import type { LiveGraph } from "./live-graph.ts";
import { type Payload, ProtocolError, type ProtocolMessage, type Send } from "./messages.ts";
import { Network } from "./network.ts";

export const PROTOCOL_VERSION = "0.7";
const PROTOCOLS = ["runtime", "graph", "component", "network"];
const EXPORTED_PORT_COMMANDS = /^(add|remove|rename)(in|out)port$/;
// A graph saved into graphs/ becomes a catalogue file: its id is its file name.
const SAVED_GRAPH_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface RuntimeOptions {
  library: ComponentLibrary;
  secret: string;
  /** Where `network:persist` writes graphs; null: the capability is not offered. */
  saveDir: string | null;
  previewBase: string;
  /** Sends to every connected client (graph changes are shown to every editor). */
  broadcast: Send;
  log: (line: string) => void;
}

/** Answers the sender alone (`payload` is a count for `componentsready`). */
export type Reply = (message: {
  protocol: string;
  command: string;
  payload: Payload | number;
  responseTo?: string;
}) => void;

type Answer = (command: string, body: Payload | number) => void;

/**
 * The FBP protocol runtime: graphs, components and networks, shared by every connection.
 * Every message must carry the secret; there is no unauthenticated subset.
 */
export class Runtime {
  readonly graphs = new Map<string, LiveGraph>();
  readonly network: Network;
  private readonly id = randomUUID();
  private mainGraph: string | null = null;

  constructor(private readonly options: RuntimeOptions) {
    this.network = new Network(options.library, options.broadcast, options.previewBase);
  }

  get capabilities(): string[] {
    return [
      "protocol:runtime",
      "protocol:graph",
      "protocol:component",
      "protocol:network",
      "network:status",
      "network:data",
      ...(this.options.saveDir ? ["network:persist"] : []),
    ];
  }

  /** Handles one raw message from a client; every answer goes through `reply` or the broadcast. */
  async handle(raw: string, reply: Reply): Promise<void> {
    let message: ProtocolMessage;
    try {
      message = JSON.parse(raw) as ProtocolMessage;
      if (!message || typeof message.protocol !== "string" || typeof message.command !== "string") {
        throw new Error("not a protocol message");
      }
    } catch {
      reply({
        protocol: "runtime",
        command: "error",
        payload: { message: "Messages are JSON {protocol, command, payload}" },
      });
      return;
    }
    const protocol = PROTOCOLS.includes(message.protocol) ? message.protocol : "runtime";
    const payload: Payload =
      message.payload && typeof message.payload === "object" ? { ...message.payload } : {};
    const secret = message.secret ?? payload.secret;
    delete payload.secret;
    const answer: Answer = (command, body) =>
      reply({
        protocol,
        command,
        payload: body,
        ...(message.requestId ? { responseTo: message.requestId } : {}),
      });
    if (typeof secret !== "string" || !constantTimeEqual(secret, this.options.secret)) {
      answer("error", { message: "Missing or wrong secret: this runtime needs its secret" });
      return;
    }
    try {
      if (protocol !== message.protocol) {
        throw new ProtocolError(`Unknown protocol "${message.protocol}"`);
      }
      await this.dispatch(protocol, message.command, payload, answer);
    } catch (error) {
      if (!(error instanceof ProtocolError)) this.options.log(`runtime: ${(error as Error).stack}`);
      const text = error instanceof ProtocolError ? error.message : "Internal runtime error";
      answer("error", { message: text });
    }
  }

  close(): void {
    this.network.close();
  }

  private async dispatch(
    protocol: string,
    command: string,
    payload: Payload,
    answer: Answer,
  ): Promise<void> {
    switch (protocol) {
      case "runtime":
        return this.runtimeCommand(command, payload, answer);
      case "component":
        return this.componentCommand(command, payload, answer);
      case "network":
        return this.networkCommand(command, payload, answer);
      default:
        handleGraphCommand(command, payload, {
          graphs: this.graphs,
          library: this.options.library,
          send: this.options.broadcast,
          changed: (live) => this.network.changed(live),
        });
        if (command === "clear" && payload.main === true) this.mainGraph = String(payload.id);
        if (EXPORTED_PORT_COMMANDS.test(command) && payload.graph === this.mainGraph) {
          const live = this.live(payload);
          this.options.broadcast("runtime", "ports", this.ports(live));
        }
    }
  }

  /** `runtime:ports`: the main graph's exported ports, typed like the ports they lead to. */
  private ports(live: LiveGraph): Payload {
    const describe = (side: "inPorts" | "outPorts") =>
      Object.entries(live.graph[side === "inPorts" ? "inports" : "outports"]).map(([id, ref]) => {
        const component = this.options.library.get(
          live.graph.getNode(ref.process)?.component ?? "",
        );
        const port = component?.[side].find((candidate) => candidate.id === ref.port);
        return {
          id,
          type: port?.type ?? "all",
          ...(port?.description ? { description: port.description } : {}),
        };
      });
    return { graph: live.id, inPorts: describe("inPorts"), outPorts: describe("outPorts") };
  }

  private runtimeCommand(command: string, payload: Payload, answer: Answer): void {
    if (command === "getruntime") {
      answer("runtime", {
        id: this.id,
        label: `${packageJson.name} ${packageJson.version}`,
        type: "imgflo",
        version: PROTOCOL_VERSION,
        capabilities: this.capabilities,
        allCapabilities: this.capabilities,
        ...(this.mainGraph ? { graph: this.mainGraph } : {}),
      });
      const main = this.mainGraph ? this.graphs.get(this.mainGraph) : undefined;
      if (main) answer("ports", this.ports(main));
      return;
    }
    if (command === "packet") {
      const live = this.live(payload);
      if (payload.event !== "data") return;
      this.network.packet(live, String(payload.port), payload.payload);
      answer("packetsent", {
        graph: live.id,
        port: String(payload.port),
        event: "data",
        payload: payload.payload,
      });
      return;
    }
    throw new ProtocolError(`Unknown runtime command "${command}"`);
  }

  private componentCommand(command: string, payload: Payload, answer: Answer): void {
    if (command === "list") {
      const components = this.options.library.list();
      for (const component of components)
        answer("component", { ...componentDefinition(component) });
      answer("componentsready", components.length);
      return;
    }
    if (command === "getsource") {
      answer("source", this.graphSource(String(payload.name)));
      return;
    }
    if (command === "source") {
      throw new ProtocolError(
        `component:${command} is not supported: components are the GEGL operations of the server`,
      );
    }
    throw new ProtocolError(`Unknown component command "${command}" (${String(payload.name)})`);
  }

  private async networkCommand(command: string, payload: Payload, answer: Answer): Promise<void> {
    if (command === "persist") {
      await this.persist();
      answer("persist", {});
      return;
    }
    const live = this.live(payload);
    switch (command) {
      case "start":
        this.network.start(live);
        return;
      case "stop":
        this.network.stop(live);
        return;
      case "getstatus":
        answer("status", this.network.status(live));
        return;
      case "debug":
        answer("debug", { graph: live.id, enable: payload.enable === true });
        return;
      case "edges":
        answer("edges", {
          graph: live.id,
          edges: Array.isArray(payload.edges) ? payload.edges : [],
        });
        return;
      default:
        throw new ProtocolError(`Unknown network command "${command}"`);
    }
  }

  /** A catalogue graph's FBP JSON, so that editors can open it (only graphs have a source). */
  private graphSource(name: string): Payload {
    const definition = this.options.library.subgraph(name);
    if (!definition) {
      throw new ProtocolError(
        `component:getsource is only supported for graphs: "${name}" is not a catalogue graph`,
      );
    }
    const [library, graph] = name.split("/") as [string, string];
    return { name: graph, library, language: "json", code: JSON.stringify(definition, null, 2) };
  }

  /** `network:persist`: the main graph into the save folder as `<id>.json`, a catalogue file. */
  private async persist(): Promise<void> {
    const { saveDir } = this.options;
    if (!saveDir) throw new ProtocolError("Saving graphs is not enabled on this runtime");
    const live = this.mainGraph ? this.graphs.get(this.mainGraph) : undefined;
    if (!live) throw new ProtocolError("There is no main graph to save");
    if (!SAVED_GRAPH_NAME.test(live.id)) {
      throw new ProtocolError(
        `Graph "${live.id}" cannot be saved: its id must be letters, digits, "-" or "_"`,
      );
    }
    await mkdir(saveDir, { recursive: true });
    const text = `${JSON.stringify(catalogueGraphJson(live.toJson() as FbpGraph), null, 2)}\n`;
    await writeFile(join(saveDir, `${live.id}.json`), text);
    this.options.log(`runtime: saved graph ${live.id} into ${saveDir}`);
  }

  private live(payload: Payload): LiveGraph {
    return liveGraph(this.graphs, payload);
  }
}
