import { createHash } from "node:crypto";
import {
  asInvalidGraph,
  buildCatalogue,
  type CatalogueGraph,
  INPUT_PORT,
  OUTPUT_PORT,
} from "../../shared/catalogue.ts";
import { errors } from "../../shared/errors.ts";
import type { FbpConnection, FbpGraph } from "../../shared/graph-definition.ts";
import { DEFAULT_IMAGE_OPTIONS } from "../../shared/image-options.ts";
import type { RenderRequest } from "../../shared/render-request.ts";
import { type CompiledGraph, compileGraph } from "../compile/graph-compiler.ts";
import type { Size } from "../steps/resize.ts";
import { type ComponentLibrary, LOAD_COMPONENT, LOAD_PATH_PORT } from "./components.ts";
import { inlineSubgraphs } from "./inline-subgraphs.ts";
import type { LiveGraph } from "./live-graph.ts";

/** A node's picture as a render: the upstream part of the live graph, compiled like a catalogue graph. */
export interface PreviewJob {
  request: RenderRequest;
  compiled: CompiledGraph;
}

type Processes = NonNullable<FbpGraph["processes"]>;

/** The nodes whose pictures flow into `node`, itself included (image components only). */
function upstream(definition: FbpGraph, node: string, library: ComponentLibrary): Set<string> {
  const processes = definition.processes ?? {};
  const found = new Set<string>();
  const visit = (id: string) => {
    const process = processes[id];
    if (found.has(id) || !process || library.get(process.component)?.kind !== "operation") return;
    found.add(id);
    for (const connection of definition.connections ?? []) {
      if ("src" in connection && connection.src && connection.tgt.process === id) {
        visit(connection.src.process);
      }
    }
  };
  visit(node);
  return found;
}

/** Where the input image enters: the initial value (or inport packet) naming it, and the pad fed. */
interface PreviewInput {
  process: string;
  /** The port the URL was given to: an image pad, or a load node's `path`. */
  port: string;
  pad: string;
  url: string;
}

/**
 * The input image's URL: an initial value on an image pad or on a `gegl/load` node's path (as
 * classic imgflo graphs have it), or the packet sent to an inport leading to an image pad.
 */
function inputOf(
  live: LiveGraph,
  definition: FbpGraph,
  processes: Processes,
  library: ComponentLibrary,
): PreviewInput | null {
  const component = (process: string) => processes[process]?.component ?? "";
  const isImagePad = (process: string, port: string) =>
    library.isImagePort(component(process), port, "inPorts");
  for (const connection of definition.connections ?? []) {
    const { process, port } = connection.tgt;
    if ("src" in connection || typeof connection.data !== "string") continue;
    if (isImagePad(process, port)) return { process, port, pad: port, url: connection.data };
    if (component(process) === LOAD_COMPONENT && port === LOAD_PATH_PORT) {
      return { process, port, pad: INPUT_PORT, url: connection.data };
    }
  }
  for (const [name, data] of live.inportPackets) {
    const target = definition.inports?.[name];
    if (target && typeof data === "string" && isImagePad(target.process, target.port)) {
      return { ...target, pad: target.port, url: data };
    }
  }
  return null;
}

function previewDefinition(
  live: LiveGraph,
  node: string,
  library: ComponentLibrary,
): { definition: FbpGraph; input: string | null } {
  const edited = live.toJson() as FbpGraph;
  const whole = inlineSubgraphs(edited, (component) => library.subgraph(component));
  // A catalogue graph's node shows the picture of its output.
  const inner = library.subgraph(edited.processes?.[node]?.component ?? "")?.outports?.[
    OUTPUT_PORT
  ];
  const target = inner ? `${node}/${inner.process}` : node;
  const kept = upstream(whole, target, library);
  if (!kept.has(target)) {
    throw errors.notFound(`An image node "${node}" in graph "${live.id}"`);
  }
  const processes: Processes = {};
  for (const id of kept) processes[id] = whole.processes?.[id] as Processes[string];
  const input = inputOf(live, whole, processes, library);
  const connections: FbpConnection[] = (whole.connections ?? []).filter((connection) => {
    if (!kept.has(connection.tgt.process)) return false;
    if ("src" in connection && connection.src) return kept.has(connection.src.process);
    return !(
      input &&
      connection.tgt.process === input.process &&
      connection.tgt.port === input.port
    );
  });
  // The origin decodes the image: a load node only passes it on.
  if (input && input.pad !== input.port) processes[input.process] = { component: "gegl/nop" };
  const definition: FbpGraph = {
    properties: { name: live.id },
    processes,
    connections,
    inports: input ? { [INPUT_PORT]: { process: input.process, port: input.pad } } : {},
    outports: { [OUTPUT_PORT]: { process: target, port: inner?.port ?? OUTPUT_PORT } },
  };
  return { definition, input: input?.url ?? null };
}

/** Compiles the picture at `node` of a live graph; a graph GEGL refuses is the client's 400. */
export function previewJob(
  live: LiveGraph,
  node: string,
  size: Size,
  library: ComponentLibrary,
): PreviewJob {
  const { definition, input } = previewDefinition(live, node, library);
  const name = `runtime-${live.id}`.replace(/[^A-Za-z0-9_-]/g, "_");
  let graph: CatalogueGraph;
  let compiled: CompiledGraph;
  try {
    graph = buildCatalogue([{ name, definition }]).get(name) as CatalogueGraph;
    compiled = compileGraph(graph, library.operations);
  } catch (error) {
    throw asInvalidGraph(error);
  }
  const params = {
    input,
    width: size.width,
    height: size.height,
    values: {},
    images: {},
    options: DEFAULT_IMAGE_OPTIONS,
  };
  // Identical pictures in flight share one render, like identical processing URLs.
  const cacheKey = createHash("sha256").update(JSON.stringify({ compiled, params })).digest("hex");
  const request: RenderRequest = {
    request: {
      graph: name,
      version: null,
      format: "png",
      params: {},
      signature: null,
      graphSpec: `${name}.png`,
      rawSearch: "",
      debug: false,
    },
    graph,
    params,
    output: "png",
    cacheKey,
  };
  return { request, compiled };
}
