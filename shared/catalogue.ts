import { normaliseColor } from "./color.ts";
import { errors } from "./errors.ts";
import {
  type FbpExportedPort,
  type FbpGraph,
  type FbpPortRef,
  isInitial,
  type NamedGraph,
} from "./graph-definition.ts";
import { graphHash } from "./graph-hash.ts";
import { IMAGE_OPTION_PARAMETERS } from "./image-options.ts";
import {
  IMAGE_TYPE,
  type InportMetadata,
  type InportType,
  MAX_IMAGE_INPORTS,
  PARAM_TYPES,
  type ParamType,
} from "./inport-metadata.ts";
import { EXPIRES_PARAMETER } from "./url-expiry.ts";

export interface GraphParameter extends FbpPortRef {
  metadata: InportMetadata & { type: ParamType };
}

/** An exported inport of type image: the pad its image enters by. */
export interface ImageInport extends FbpPortRef {
  metadata: InportMetadata & { type: typeof IMAGE_TYPE };
}

export interface CatalogueGraph {
  name: string;
  /** 0 for a built-in file of `graphs/`, then 1, 2, … as versions are published (contract §7). */
  version: number;
  /** SHA-256 of what in the definition changes a rendering (graph-hash.ts): part of every cache key. */
  hash: string;
  description: string;
  /** Where the input image enters; null for generators. */
  input: FbpPortRef | null;
  output: FbpPortRef;
  /** The graph is an identity whose answer is the input's bytes untouched (`noop`). */
  outputsInputBytes: boolean;
  /**
   * `width`/`height` scale the input by bilinear point sampling, without antialiasing, as the
   * classic server's GEGL did (`"imgflo": {"resize": "point-sampled"}`): for graphs whose
   * picture depends on the input's pixel-level texture (`desaturate`'s c2g).
   */
  pointSampledResize: boolean;
  /** Exported inports other than `input` and the image inports, each a process property. */
  parameters: Record<string, GraphParameter>;
  /** Image inports (contract §8), at most MAX_IMAGE_INPORTS: each an image URL fed to a pad. */
  images: Record<string, ImageInport>;
  definition: FbpGraph;
}

export type Catalogue = ReadonlyMap<string, CatalogueGraph>;

export class CatalogueError extends Error {
  constructor(graph: string, why: string) {
    super(`Graph "${graph}": ${why}`);
    this.name = "CatalogueError";
  }
}

/**
 * A graph someone sent (a publish, a render body, a live graph) that does not read or compile is
 * their 400 `invalid-graph`, with the sentence naming the culprit; anything else is rethrown.
 */
export function asInvalidGraph(error: unknown): unknown {
  return error instanceof CatalogueError ? errors.invalidGraph(error.message) : error;
}

export const INPUT_PORT = "input";
export const OUTPUT_PORT = "output";
export const MAX_DIMENSION = 16384;

/** `width` and `height` are accepted by every graph: resize before the graph runs. */
export const SIZE_PARAMETERS: Record<"width" | "height", InportMetadata> = {
  width: {
    type: "int",
    description: "Output width in pixels (keeps the aspect ratio when height is not given)",
    minimum: 1,
    maximum: MAX_DIMENSION,
  },
  height: {
    type: "int",
    description: "Output height in pixels (keeps the aspect ratio when width is not given)",
    minimum: 1,
    maximum: MAX_DIMENSION,
  },
};

const INPUT_METADATA: InportMetadata = {
  type: "string",
  description: "URL of the source image (http or https, or a path on this server)",
};

function initialValue(graph: FbpGraph, target: FbpPortRef): unknown {
  const initial = (graph.connections ?? [])
    .filter(isInitial)
    .find((c) => c.tgt.process === target.process && c.tgt.port === target.port);
  return initial?.data;
}

/** Metadata for inports that declare none (the .fbp DSL has no place for it): guessed from the IIP. */
function inferredMetadata(graph: FbpGraph, port: FbpPortRef): InportMetadata {
  const data = initialValue(graph, port);
  const description = `${port.process}.${port.port}`;
  if (typeof data === "number") return { type: "number", description, default: data };
  if (typeof data === "boolean") return { type: "boolean", description, default: data };
  if (typeof data === "string" && normaliseColor(data)) {
    return { type: "color", description, default: data };
  }
  return typeof data === "string"
    ? { type: "string", description, default: data }
    : { type: "string", description };
}

function checkedMetadata(
  name: string,
  inport: string,
  raw: Record<string, unknown>,
): InportMetadata {
  const fail = (why: string) => new CatalogueError(name, `inport "${inport}" ${why}`);
  const type = raw.type as InportType;
  if (type !== IMAGE_TYPE && !PARAM_TYPES.includes(type)) {
    throw fail(`has unknown type "${String(raw.type)}"`);
  }
  const metadata: InportMetadata = {
    type,
    description: typeof raw.description === "string" ? raw.description : inport,
  };
  for (const bound of ["minimum", "maximum"] as const) {
    if (raw[bound] === undefined) continue;
    if (typeof raw[bound] !== "number") throw fail(`has a non-numeric ${bound}`);
    metadata[bound] = raw[bound];
  }
  if (type === "enum") {
    const values = raw.values;
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      !values.every((v) => typeof v === "string")
    ) {
      throw fail("is an enum without a list of string values");
    }
    metadata.values = values;
  }
  const fallback = raw.default;
  if (fallback !== undefined) {
    if (!["string", "number", "boolean"].includes(typeof fallback)) throw fail("has a bad default");
    metadata.default = fallback as string | number | boolean;
  }
  return metadata;
}

function isImageInport(inport: FbpPortRef & { metadata: InportMetadata }): inport is ImageInport {
  return inport.metadata.type === IMAGE_TYPE;
}

function buildGraph({ name, definition, version = 0 }: NamedGraph): CatalogueGraph {
  const inports: Record<string, FbpExportedPort> = definition.inports ?? {};
  const output = definition.outports?.[OUTPUT_PORT];
  if (!output) throw new CatalogueError(name, `has no "${OUTPUT_PORT}" outport`);
  const parameters: Record<string, GraphParameter> = {};
  const images: Record<string, ImageInport> = {};
  for (const [inport, ref] of Object.entries(inports)) {
    if (inport === INPUT_PORT) continue;
    const reserved =
      inport in SIZE_PARAMETERS ||
      inport in IMAGE_OPTION_PARAMETERS ||
      inport === EXPIRES_PARAMETER;
    if (reserved) {
      throw new CatalogueError(name, `inport "${inport}" is reserved`);
    }
    const metadata =
      ref.metadata && "type" in ref.metadata
        ? checkedMetadata(name, inport, ref.metadata)
        : inferredMetadata(definition, ref);
    const exported = { process: ref.process, port: ref.port, metadata };
    if (isImageInport(exported)) images[inport] = exported;
    else parameters[inport] = exported as GraphParameter;
  }
  const imageCount = Object.keys(images).length;
  if (imageCount > MAX_IMAGE_INPORTS) {
    throw new CatalogueError(
      name,
      `has ${imageCount} image inports (${Object.keys(images).join(", ")}); a graph may have at most ${MAX_IMAGE_INPORTS} besides "${INPUT_PORT}"`,
    );
  }
  const inputRef = inports[INPUT_PORT];
  return {
    name,
    version,
    hash: graphHash(definition),
    description: definition.properties?.description ?? name,
    input: inputRef ? { process: inputRef.process, port: inputRef.port } : null,
    output: { process: output.process, port: output.port },
    outputsInputBytes: definition.properties?.imgflo?.output === "input-bytes",
    pointSampledResize: definition.properties?.imgflo?.resize === "point-sampled",
    parameters,
    images,
    definition,
  };
}

/**
 * Reads parsed graphs (see graph-source.ts): their inports, outport and parameters' metadata, what
 * the edge needs (it bundles them parsed). Whether the processes, pads and properties fit together
 * is the origin's compile against GEGL (origin/compile/graph-compiler.ts), the one check of a graph.
 */
export function buildCatalogue(definitions: readonly NamedGraph[]): Catalogue {
  const graphs = new Map<string, CatalogueGraph>();
  for (const graph of [...definitions].sort((a, b) => a.name.localeCompare(b.name))) {
    if (graphs.has(graph.name)) throw new CatalogueError(graph.name, "is defined twice");
    graphs.set(graph.name, buildGraph(graph));
  }
  return graphs;
}

export interface CatalogueDocument {
  graphs: Record<
    string,
    {
      description: string;
      version: number;
      hash: string;
      /** Served from a file of `graphs/` (version 0), not a published version. */
      builtin: boolean;
      inports: Record<string, { metadata: InportMetadata }>;
      outports: Record<string, Record<string, never>>;
    }
  >;
}

/** The `GET /graphs` document of the contract. */
export function catalogueDocument(catalogue: Catalogue): CatalogueDocument {
  const graphs: CatalogueDocument["graphs"] = {};
  for (const graph of catalogue.values()) {
    const inports: Record<string, { metadata: InportMetadata }> = {};
    if (graph.input) inports[INPUT_PORT] = { metadata: INPUT_METADATA };
    for (const [port, inport] of Object.entries({ ...graph.images, ...graph.parameters })) {
      inports[port] = { metadata: inport.metadata };
    }
    for (const [port, metadata] of Object.entries({
      ...SIZE_PARAMETERS,
      ...IMAGE_OPTION_PARAMETERS,
    })) {
      inports[port] = { metadata };
    }
    graphs[graph.name] = {
      description: graph.description,
      version: graph.version,
      hash: graph.hash,
      builtin: graph.version === 0,
      inports,
      outports: { output: {} },
    };
  }
  return { graphs };
}
