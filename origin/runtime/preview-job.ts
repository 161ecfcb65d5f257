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
import { IMAGE_TYPE } from "../../shared/inport-metadata.ts";
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

/** Where an image enters: the initial value (or inport packet) naming it, and the pad fed. */
interface PreviewInput {
  process: string;
  /** The port the URL was given to: an image pad, or a load node's `path`. */
  port: string;
  pad: string;
  url: string;
}

/**
 * The images' URLs: initial values on image pads or on a `gegl/load` node's path (as classic
 * imgflo graphs have it), or packets sent to inports leading to image pads. The first is the
 * input; the others enter as image inports (contract §8).
 */
function imagesOf(
  live: LiveGraph,
  definition: FbpGraph,
  processes: Processes,
  library: ComponentLibrary,
): PreviewInput[] {
  const component = (process: string) => processes[process]?.component ?? "";
  const isImagePad = (process: string, port: string) =>
    library.isImagePort(component(process), port, "inPorts");
  const images: PreviewInput[] = [];
  for (const connection of definition.connections ?? []) {
    const { process, port } = connection.tgt;
    if ("src" in connection || typeof connection.data !== "string") continue;
    if (isImagePad(process, port)) images.push({ process, port, pad: port, url: connection.data });
    else if (component(process) === LOAD_COMPONENT && port === LOAD_PATH_PORT) {
      images.push({ process, port, pad: INPUT_PORT, url: connection.data });
    }
  }
  for (const [name, data] of live.inportPackets) {
    const target = definition.inports?.[name];
    if (target && typeof data === "string" && isImagePad(target.process, target.port)) {
      images.push({ ...target, pad: target.port, url: data });
    }
  }
  return images;
}

/** The preview's inports: the first image as `input`, the others as image inports. */
function imageInports(images: readonly PreviewInput[]): NonNullable<FbpGraph["inports"]> {
  return Object.fromEntries(
    images.map((image, i) => [
      i === 0 ? INPUT_PORT : `image${i}`,
      {
        process: image.process,
        port: image.pad,
        ...(i === 0 ? {} : { metadata: { type: IMAGE_TYPE } }),
      },
    ]),
  );
}

function previewDefinition(
  live: LiveGraph,
  node: string,
  library: ComponentLibrary,
): { definition: FbpGraph; urls: string[] } {
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
  const images = imagesOf(live, whole, processes, library);
  const connections: FbpConnection[] = (whole.connections ?? []).filter((connection) => {
    if (!kept.has(connection.tgt.process)) return false;
    if ("src" in connection && connection.src) return kept.has(connection.src.process);
    return !images.some(
      (image) => connection.tgt.process === image.process && connection.tgt.port === image.port,
    );
  });
  // The origin decodes the images: a load node only passes one on.
  for (const image of images) {
    if (image.pad !== image.port) processes[image.process] = { component: "gegl/nop" };
  }
  const definition: FbpGraph = {
    properties: { name: live.id },
    processes,
    connections,
    inports: imageInports(images),
    outports: { [OUTPUT_PORT]: { process: target, port: inner?.port ?? OUTPUT_PORT } },
  };
  return { definition, urls: images.map((image) => image.url) };
}

/** Compiles the picture at `node` of a live graph; a graph GEGL refuses is the client's 400. */
export function previewJob(
  live: LiveGraph,
  node: string,
  size: Size,
  library: ComponentLibrary,
): PreviewJob {
  const { definition, urls } = previewDefinition(live, node, library);
  const [input = null, ...others] = urls;
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
    images: Object.fromEntries(others.map((url, i) => [`image${i + 1}`, url])),
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
