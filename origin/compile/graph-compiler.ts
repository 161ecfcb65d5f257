import {
  CatalogueError,
  type CatalogueGraph,
  type GraphParameter,
  INPUT_PORT,
} from "../../shared/catalogue.ts";
import { isImgfloError } from "../../shared/errors.ts";
import { type FbpPortRef, isInitial } from "../../shared/graph-definition.ts";
import type { InportMetadata, ParamType } from "../../shared/inport-metadata.ts";
import { coerceValue } from "../../shared/parameters.ts";
import type {
  OperationDescription,
  OperationDescriptions,
  PropertyDescription,
} from "../worker/operation-description.ts";
import type { JobLink, JobNode, PadRef } from "../worker/render-job.ts";
import { refusalOf } from "./operation-policy.ts";

/** A catalogue graph compiled once at start-up: the worker's render job, less the request. */
export interface CompiledGraph {
  name: string;
  nodes: JobNode[];
  links: JobLink[];
  input: PadRef | null;
  output: PadRef;
  /** Graph parameter name → the node property it sets. */
  parameters: Record<string, { node: string; property: string }>;
  /** Image inport name → the pad its image feeds (contract §8). */
  images: Record<string, PadRef>;
  /** Every operation is gegl:nop, no image besides the input: a plain decode, resize and encode. */
  identity: boolean;
  /**
   * The nodes whose operation makes each pixel from the input's pixel in its place, within its
   * input's extent (the worker's `point_filter`): input-region.ts reads a crop's region through them.
   */
  pointFilters: string[];
}

/** The largest graph compiled (a live graph, a published one), so that none exhausts a worker. */
export const GRAPH_SIZE_LIMITS = {
  nodes: 200,
  /** Edges and initial values together. */
  connections: 400,
};

const COMPONENT_PREFIXES: Record<string, string> = { gegl: "gegl", svg: "svg", imgflo: "imgflo" };

/** `gegl/gaussian-blur` → `gegl:gaussian-blur` (likewise `svg/` and `imgflo/`). */
export function operationOf(component: string): string | null {
  const slash = component.indexOf("/");
  const library = COMPONENT_PREFIXES[component.slice(0, slash)];
  return slash > 0 && library ? `${library}:${component.slice(slash + 1)}` : null;
}

/** GEGL pad and property names are lower case; the .fbp DSL customarily writes ports in capitals. */
const gegl = (port: string) => port.toLowerCase();

/** Every operation the catalogue uses (unknown component prefixes are reported by compileGraph). */
export function operationsUsed(graphs: Iterable<CatalogueGraph>): string[] {
  const operations = new Set<string>();
  for (const graph of graphs) {
    for (const process of Object.values(graph.definition.processes ?? {})) {
      const operation = operationOf(process.component);
      if (operation) operations.add(operation);
    }
  }
  return [...operations].sort();
}

// Which GEGL property types each parameter type can set without the worker refusing a value.
const COMPATIBLE_TYPES: Record<ParamType, PropertyDescription["type"][]> = {
  int: ["int", "double"],
  number: ["double"],
  boolean: ["boolean"],
  color: ["color"],
  enum: ["enum", "string"],
  string: ["string"],
};

// Only the double range itself says "any number": the worker refuses a value beyond any other
// bound (a float's, an int64's), so the metadata must declare it.
const isUnbounded = (bound: number) => Math.abs(bound) >= Number.MAX_VALUE;

/** The parameter type of each GEGL property type: its rules (shared/parameters.ts) check values. */
export const PROPERTY_PARAM_TYPES: Record<PropertyDescription["type"], ParamType | null> = {
  double: "number",
  int: "int",
  boolean: "boolean",
  color: "color",
  enum: "enum",
  string: "string",
  other: null,
};

/** A settable GEGL property as inport metadata: the bounds and values the worker enforces. */
function propertyMetadata(property: PropertyDescription, name: string): InportMetadata {
  const type = PROPERTY_PARAM_TYPES[property.type] as ParamType;
  const { minimum, maximum } = property;
  if (type !== "int") return { type, description: name, minimum, maximum, values: property.values };
  // Integers travel as decimal text: beyond 2^53 a JavaScript number no longer reads back exact.
  return {
    type,
    description: name,
    minimum: Math.max(minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
    maximum: Math.min(maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  };
}

/** A pad as the compile names it in messages. */
const padName = (pad: PadRef) => `${pad.node}.${pad.pad}`;

/**
 * The one check of a graph: whatever it accepts the worker builds and renders (the worker only
 * guards its own process, see gegl-worker/README.md), so every error a user can cause is found
 * here, with a message naming the graph and the culprit.
 */
class GraphCompiler {
  constructor(
    private readonly graph: CatalogueGraph,
    private readonly operations: OperationDescriptions,
  ) {}

  compile(): CompiledGraph {
    const { definition, name } = this.graph;
    this.checkSize();
    const nodes = new Map<string, JobNode>();
    for (const [id, process] of Object.entries(definition.processes ?? {})) {
      nodes.set(id, { id, op: this.operation(id, process.component), props: {} });
    }
    const links: JobLink[] = [];
    for (const connection of definition.connections ?? []) {
      if (isInitial(connection)) {
        const { node, property } = this.property(connection.tgt, "an initial value");
        (nodes.get(node) as JobNode).props[gegl(connection.tgt.port)] = this.initialText(
          connection.tgt,
          connection.data,
          property,
        );
      } else {
        const from = this.pad(connection.src, "output_pads", "a connection");
        const to = this.pad(connection.tgt, "input_pads", "a connection");
        links.push({ from: from.node, from_pad: from.pad, to: to.node, to_pad: to.pad });
      }
    }
    const parameters: CompiledGraph["parameters"] = {};
    for (const [inport, parameter] of Object.entries(this.graph.parameters)) {
      const { node, property } = this.property(parameter, `inport "${inport}"`);
      this.checkParameter(inport, parameter, property);
      parameters[inport] = { node, property: gegl(parameter.port) };
    }
    const images: Record<string, PadRef> = {};
    if (this.graph.input) {
      images[INPUT_PORT] = this.pad(this.graph.input, "input_pads", `inport "${INPUT_PORT}"`);
    }
    for (const [inport, image] of Object.entries(this.graph.images)) {
      images[inport] = this.pad(image, "input_pads", `inport "${inport}"`);
    }
    this.checkOneSourcePerPad(links, images);
    this.checkAcyclic([...nodes.keys()], links);
    const nodeList = [...nodes.values()];
    const { [INPUT_PORT]: input = null, ...others } = images;
    return {
      name,
      nodes: nodeList,
      links,
      input,
      output: this.pad(this.graph.output, "output_pads", "the output outport"),
      parameters,
      images: others,
      identity:
        Object.keys(others).length === 0 && nodeList.every((node) => node.op === "gegl:nop"),
      pointFilters: nodeList
        .filter((node) => this.operations[node.op]?.point_filter === true)
        .map((node) => node.id),
    };
  }

  private operation(process: string, component: string): string {
    const operation = operationOf(component);
    if (!operation) {
      throw this.fail(
        `process "${process}" uses component "${component}"; components are gegl/<op>, svg/<op> or imgflo/<op>`,
      );
    }
    const description = this.operations[operation];
    if (!description?.exists) {
      throw this.fail(
        `process "${process}" uses operation ${operation}, which this GEGL does not have`,
      );
    }
    const refusal = refusalOf(operation, description);
    if (refusal) {
      throw this.fail(
        `process "${process}" uses ${operation}, which graphs may not use: it ${refusal}`,
      );
    }
    return operation;
  }

  private described(
    ref: FbpPortRef,
    what: string,
  ): { op: string; description: OperationDescription } {
    const process = this.graph.definition.processes?.[ref.process];
    if (!process) throw this.fail(`${what} refers to unknown process "${ref.process}"`);
    const op = this.operation(ref.process, process.component);
    return { op, description: this.operations[op] as OperationDescription };
  }

  private where(ref: FbpPortRef): string {
    return `${ref.process}.${ref.port}`;
  }

  private pad(ref: FbpPortRef, kind: "input_pads" | "output_pads", what: string): PadRef {
    const { op, description } = this.described(ref, what);
    if (!description[kind]?.includes(gegl(ref.port))) {
      const side = kind === "input_pads" ? "input" : "output";
      throw this.fail(`${this.where(ref)}: ${op} has no ${side} pad "${gegl(ref.port)}"`);
    }
    return { node: ref.process, pad: gegl(ref.port) };
  }

  private property(ref: FbpPortRef, what: string): { node: string; property: PropertyDescription } {
    const { op, description } = this.described(ref, what);
    const property = description.properties?.[gegl(ref.port)];
    if (!property || property.type === "other") {
      throw this.fail(
        `${what} sets ${this.where(ref)}, but ${op} has no settable property "${gegl(ref.port)}"`,
      );
    }
    return { node: ref.process, property };
  }

  /**
   * An initial value as the worker takes it: checked against the GEGL property by the rules of
   * request parameters and made canonical (numbers, yes/no words, colours); strings verbatim.
   */
  private initialText(ref: FbpPortRef, data: unknown, property: PropertyDescription): string {
    if (typeof data !== "string" && typeof data !== "number" && typeof data !== "boolean") {
      throw this.fail(
        `the initial value for ${this.where(ref)} is not a string, number or boolean`,
      );
    }
    if (property.type === "string") return String(data);
    try {
      return coerceValue(
        this.where(ref),
        String(data),
        propertyMetadata(property, this.where(ref)),
      );
    } catch (error) {
      if (!isImgfloError(error)) throw error;
      throw this.fail(`the initial value for ${this.where(ref)} is refused: ${error.message}`);
    }
  }

  /** Anything the metadata accepts must be accepted by GEGL too, or a request would fail with a 500. */
  private checkParameter(
    inport: string,
    parameter: GraphParameter,
    property: PropertyDescription,
  ): void {
    const { metadata } = parameter;
    const fail = (why: string) => this.fail(`inport "${inport}" (${this.where(parameter)}) ${why}`);
    if (!COMPATIBLE_TYPES[metadata.type].includes(property.type)) {
      throw fail(`has type ${metadata.type}, but the GEGL property is a ${property.type}`);
    }
    const { minimum, maximum } = propertyMetadata(property, inport);
    if (minimum !== undefined && !isUnbounded(minimum)) {
      if (metadata.minimum === undefined || metadata.minimum < minimum) {
        throw fail(`must declare a minimum of at least ${minimum} (GEGL's)`);
      }
    }
    if (maximum !== undefined && !isUnbounded(maximum)) {
      if (metadata.maximum === undefined || metadata.maximum > maximum) {
        throw fail(`must declare a maximum of at most ${maximum} (GEGL's)`);
      }
    }
    const unknown =
      property.type === "enum"
        ? (metadata.values ?? []).filter((v) => !property.values?.includes(v))
        : [];
    if (unknown.length > 0) {
      throw fail(
        `lists ${unknown.join(", ")}, which GEGL does not know (it has ${property.values?.join(", ")})`,
      );
    }
  }

  /** A GEGL input pad takes one source: a second link (or an image) would replace the first. */
  private checkOneSourcePerPad(links: readonly JobLink[], images: Record<string, PadRef>): void {
    const sources = new Map<string, string>();
    const feed = (pad: PadRef, source: string) => {
      const key = JSON.stringify([pad.node, pad.pad]);
      const earlier = sources.get(key);
      if (earlier !== undefined) {
        throw this.fail(
          `input pad ${padName(pad)} is fed by both ${earlier} and ${source}; a pad takes one connection`,
        );
      }
      sources.set(key, source);
    };
    for (const [inport, pad] of Object.entries(images)) feed(pad, `inport "${inport}"`);
    for (const link of links) {
      feed({ node: link.to, pad: link.to_pad }, padName({ node: link.from, pad: link.from_pad }));
    }
  }

  private checkSize(): void {
    const { processes = {}, connections = [] } = this.graph.definition;
    const nodes = Object.keys(processes).length;
    if (nodes > GRAPH_SIZE_LIMITS.nodes) {
      throw this.fail(`has ${nodes} processes; a graph may have ${GRAPH_SIZE_LIMITS.nodes}`);
    }
    if (connections.length > GRAPH_SIZE_LIMITS.connections) {
      throw this.fail(
        `has ${connections.length} connections; a graph may have ${GRAPH_SIZE_LIMITS.connections}`,
      );
    }
  }

  /** GEGL graphs are acyclic: the worker would recurse for ever on a cycle. */
  private checkAcyclic(ids: readonly string[], links: readonly JobLink[]): void {
    const downstream = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const link of links) downstream.get(link.from)?.push(link.to);
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (id: string) => {
      if (done.has(id)) return;
      const seen = path.indexOf(id);
      if (seen >= 0) {
        const cycle = [...path.slice(seen), id].map((node) => `"${node}"`).join(" → ");
        throw this.fail(`its connections form a cycle (${cycle}); a graph must be acyclic`);
      }
      path.push(id);
      for (const next of downstream.get(id) ?? []) visit(next);
      path.pop();
      done.add(id);
    };
    for (const id of ids) visit(id);
  }

  private fail(why: string): CatalogueError {
    return new CatalogueError(this.graph.name, why);
  }
}

/** Checks a graph against what GEGL really has and compiles it; throws CatalogueError naming the culprit. */
export function compileGraph(
  graph: CatalogueGraph,
  operations: OperationDescriptions,
): CompiledGraph {
  return new GraphCompiler(graph, operations).compile();
}
