import { parseBooleanWord } from "../../shared/boolean-words.ts";
import {
  CatalogueError,
  type CatalogueGraph,
  type GraphParameter,
  type InportMetadata,
  type ParamType,
} from "../../shared/catalogue.ts";
import { normaliseColor } from "../../shared/color.ts";
import { type FbpPortRef, isInitial } from "../../shared/graph-definition.ts";
import type { Size } from "./output-size.ts";

/** What the worker's `describe` command says about one operation. */
export interface OperationDescription {
  exists: boolean;
  input_pads?: string[];
  output_pads?: string[];
  properties?: Record<string, PropertyDescription>;
}

export interface PropertyDescription {
  type: "double" | "int" | "boolean" | "color" | "enum" | "string" | "other";
  minimum?: number;
  maximum?: number;
  values?: string[];
}

export type OperationDescriptions = Record<string, OperationDescription>;

export interface JobNode {
  id: string;
  op: string;
  props: Record<string, string>;
}

export interface JobLink {
  from: string;
  from_pad: string;
  to: string;
  to_pad: string;
}

interface PadRef {
  node: string;
  pad: string;
}

/** A catalogue graph compiled once at start-up: the worker's render job, less the request. */
export interface CompiledGraph {
  name: string;
  nodes: JobNode[];
  links: JobLink[];
  input: PadRef | null;
  output: PadRef;
  /** Graph parameter name → the node property it sets. */
  parameters: Record<string, { node: string; property: string }>;
  /** Every operation is gegl:nop: the render is a plain decode, resize and encode. */
  identity: boolean;
}

/** The `render` command of the worker protocol. */
export interface RenderJob {
  cmd: "render";
  nodes: JobNode[];
  links: JobLink[];
  input: (PadRef & Size) | null;
  output: PadRef;
  size?: Size;
  max_pixels: number;
}

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

// GEGL bounds this large only say "any number"; smaller ones must be respected by the metadata.
const UNBOUNDED = 1e15;

/** An initial value as the worker takes it: canonical booleans and colours, else the text. */
function iipText(data: unknown, property: PropertyDescription): string | null {
  if (typeof data !== "string" && typeof data !== "number" && typeof data !== "boolean") {
    return null;
  }
  if (property.type === "boolean") {
    const value = typeof data === "boolean" ? data : parseBooleanWord(String(data));
    return value === null ? null : String(value);
  }
  if (typeof data !== "string") return String(data);
  return property.type === "color" ? (normaliseColor(data) ?? data) : data;
}

class GraphCompiler {
  constructor(
    private readonly graph: CatalogueGraph,
    private readonly operations: OperationDescriptions,
  ) {}

  compile(): CompiledGraph {
    const { definition, name } = this.graph;
    const nodes = new Map<string, JobNode>();
    for (const [id, process] of Object.entries(definition.processes ?? {})) {
      nodes.set(id, { id, op: this.operation(id, process.component), props: {} });
    }
    const links: JobLink[] = [];
    for (const connection of definition.connections ?? []) {
      if (isInitial(connection)) {
        const { node, property } = this.property(connection.tgt, "an initial value");
        const text = iipText(connection.data, property);
        if (text === null)
          throw this.fail(
            `the initial value for ${this.where(connection.tgt)} is not a string, number or boolean (or, for a boolean property, not a yes/no word)`,
          );
        (nodes.get(node) as JobNode).props[gegl(connection.tgt.port)] = text;
      } else {
        const from = this.pad(connection.src, "output_pads");
        const to = this.pad(connection.tgt, "input_pads");
        links.push({ from: from.node, from_pad: from.pad, to: to.node, to_pad: to.pad });
      }
    }
    const parameters: CompiledGraph["parameters"] = {};
    for (const [inport, parameter] of Object.entries(this.graph.parameters)) {
      const { node, property } = this.property(parameter, `inport "${inport}"`);
      this.checkParameter(inport, parameter, property);
      parameters[inport] = { node, property: gegl(parameter.port) };
    }
    const nodeList = [...nodes.values()];
    return {
      name,
      nodes: nodeList,
      links,
      input: this.graph.input ? this.pad(this.graph.input, "input_pads") : null,
      output: this.pad(this.graph.output, "output_pads"),
      parameters,
      identity: nodeList.every((node) => node.op === "gegl:nop"),
    };
  }

  private operation(process: string, component: string): string {
    const operation = operationOf(component);
    if (!operation) {
      throw this.fail(
        `process "${process}" uses component "${component}"; components are gegl/<op>, svg/<op> or imgflo/<op>`,
      );
    }
    if (!this.operations[operation]?.exists) {
      throw this.fail(
        `process "${process}" uses operation ${operation}, which this GEGL does not have`,
      );
    }
    return operation;
  }

  private described(process: string): { op: string; description: OperationDescription } {
    const component = this.graph.definition.processes?.[process]?.component ?? "";
    const op = this.operation(process, component);
    return { op, description: this.operations[op] as OperationDescription };
  }

  private where(ref: FbpPortRef): string {
    return `${ref.process}.${ref.port}`;
  }

  private pad(ref: FbpPortRef, kind: "input_pads" | "output_pads"): PadRef {
    const { op, description } = this.described(ref.process);
    if (!description[kind]?.includes(gegl(ref.port))) {
      const side = kind === "input_pads" ? "input" : "output";
      throw this.fail(`${this.where(ref)}: ${op} has no ${side} pad "${gegl(ref.port)}"`);
    }
    return { node: ref.process, pad: gegl(ref.port) };
  }

  private property(ref: FbpPortRef, what: string): { node: string; property: PropertyDescription } {
    const { op, description } = this.described(ref.process);
    const property = description.properties?.[gegl(ref.port)];
    if (!property || property.type === "other") {
      throw this.fail(
        `${what} sets ${this.where(ref)}, but ${op} has no settable property "${gegl(ref.port)}"`,
      );
    }
    return { node: ref.process, property };
  }

  /** Anything the metadata accepts must be accepted by GEGL too, or a request would fail with a 500. */
  private checkParameter(
    inport: string,
    parameter: GraphParameter,
    property: PropertyDescription,
  ): void {
    const metadata: InportMetadata = parameter.metadata;
    const fail = (why: string) => this.fail(`inport "${inport}" (${this.where(parameter)}) ${why}`);
    if (!COMPATIBLE_TYPES[metadata.type].includes(property.type)) {
      throw fail(`has type ${metadata.type}, but the GEGL property is a ${property.type}`);
    }
    if (property.minimum !== undefined && Math.abs(property.minimum) < UNBOUNDED) {
      if (metadata.minimum === undefined || metadata.minimum < property.minimum) {
        throw fail(`must declare a minimum of at least ${property.minimum} (GEGL's)`);
      }
    }
    if (property.maximum !== undefined && Math.abs(property.maximum) < UNBOUNDED) {
      if (metadata.maximum === undefined || metadata.maximum > property.maximum) {
        throw fail(`must declare a maximum of at most ${property.maximum} (GEGL's)`);
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

export interface JobSizes {
  /** The input image's size, or null for generators. */
  input: Size | null;
  /** An explicit output size (generators), or null to render the graph's bounding box. */
  output: Size | null;
  maxPixels: number;
}

/** The render job for one request: request parameters override the graph's initial values. */
export function renderJob(
  compiled: CompiledGraph,
  values: Record<string, string>,
  sizes: JobSizes,
): RenderJob {
  const props = new Map(compiled.nodes.map((node) => [node.id, { ...node.props }]));
  for (const [name, value] of Object.entries(values)) {
    const target = compiled.parameters[name];
    if (target) (props.get(target.node) as Record<string, string>)[target.property] = value;
  }
  return {
    cmd: "render",
    nodes: compiled.nodes.map((node) => ({ ...node, props: props.get(node.id) ?? {} })),
    links: compiled.links,
    input: compiled.input && sizes.input ? { ...compiled.input, ...sizes.input } : null,
    output: compiled.output,
    ...(sizes.output ? { size: sizes.output } : {}),
    max_pixels: sizes.maxPixels,
  };
}
