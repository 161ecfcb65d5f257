import { type Catalogue, INPUT_PORT, OUTPUT_PORT } from "../../shared/catalogue.ts";
import {
  type ComponentDefinition,
  IMAGE_PORT_TYPE,
  type PortDefinition,
} from "../../shared/fbp-component.ts";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { PROPERTY_PARAM_TYPES } from "../compile/graph-compiler.ts";
import { STAND_INS } from "../compile/operation-swaps.ts";
import type {
  OperationDescription,
  OperationDescriptions,
  PropertyDescription,
} from "../worker/operation-description.ts";

/** What a component is made of: a GEGL operation, a catalogue graph, or a generic core component. */
export type ComponentKind =
  | { kind: "operation"; operation: string }
  | { kind: "graph"; graph: string; definition: FbpGraph }
  | { kind: "core"; behaviour: CoreBehaviour };

export type CoreBehaviour = "repeat" | "drop" | "output";

export type Component = ComponentDefinition & ComponentKind;

const CATALOGUE_LIBRARY = "graphs";
/** `gegl/load` takes the input image's URL on `path`, which the origin fetches (not GEGL). */
export const LOAD_COMPONENT = "gegl/load";
export const LOAD_PATH_PORT = "path";
const LOAD_PATH: PortDefinition = {
  id: LOAD_PATH_PORT,
  type: "string",
  description: "URL of the input image, fetched with the rules of processing URLs",
};
// GEGL operation namespaces and the component library each is listed under.
const LIBRARIES: Record<string, string> = { gegl: "gegl", svg: "svg", imgflo: "imgflo" };
// GEGL bounds this large only say "any number".
const UNBOUNDED = 1e15;
// Font Awesome names, by the first GEGL category that has one.
const CATEGORY_ICONS: Record<string, string> = {
  blur: "tint",
  color: "adjust",
  colors: "adjust",
  distort: "magic",
  render: "paint-brush",
  light: "sun-o",
  "edge-detect": "pencil",
  enhance: "star",
  artistic: "picture-o",
  transform: "arrows",
  generic: "cogs",
  core: "cog",
};

const CORE_COMPONENTS: Component[] = [
  {
    name: "core/Repeat",
    description: "Forwards every packet it receives",
    icon: "forward",
    subgraph: false,
    kind: "core",
    behaviour: "repeat",
    inPorts: [{ id: "in", type: "all" }],
    outPorts: [{ id: "out", type: "all" }],
  },
  {
    name: "core/Drop",
    description: "Discards every packet it receives",
    icon: "trash-o",
    subgraph: false,
    kind: "core",
    behaviour: "drop",
    inPorts: [{ id: "in", type: "all" }],
    outPorts: [],
  },
  {
    name: "core/Output",
    description: "Shows every packet it receives as network output, and forwards it",
    icon: "bug",
    subgraph: false,
    kind: "core",
    behaviour: "output",
    inPorts: [{ id: "in", type: "all" }],
    outPorts: [{ id: "out", type: "all" }],
  },
];

interface DescribedOperation extends OperationDescription {
  description?: string;
  categories?: string;
  properties?: Record<string, PropertyDescription & { description?: string; default?: unknown }>;
}

function bounded(value: number | undefined): number | undefined {
  return value !== undefined && Math.abs(value) < UNBOUNDED ? value : undefined;
}

function propertyPort(
  id: string,
  property: NonNullable<DescribedOperation["properties"]>[string],
): PortDefinition | null {
  const type = PROPERTY_PARAM_TYPES[property.type];
  if (!type) return null;
  const port: PortDefinition = { id, type };
  if (property.description) port.description = property.description;
  if (property.default !== undefined) port.default = property.default;
  if (property.values) port.values = property.values;
  const minimum = bounded(property.minimum);
  const maximum = bounded(property.maximum);
  if (minimum !== undefined) port.minimum = minimum;
  if (maximum !== undefined) port.maximum = maximum;
  return port;
}

function iconOf(categories: string | undefined): string {
  for (const category of (categories ?? "").split(":")) {
    const icon = CATEGORY_ICONS[category];
    if (icon) return icon;
  }
  return "picture-o";
}

function operationComponent(operation: string, described: DescribedOperation): Component | null {
  const [namespace, op] = operation.split(":");
  const library = LIBRARIES[namespace ?? ""];
  if (!library || !op || !described.exists || STAND_INS.has(operation)) return null;
  const image = (pad: string): PortDefinition => ({ id: pad, type: IMAGE_PORT_TYPE });
  const properties = Object.entries(described.properties ?? {})
    .map(([id, property]) => propertyPort(id, property))
    .filter((port) => port !== null);
  const name = `${library}/${op}`;
  if (name === LOAD_COMPONENT) properties.unshift(LOAD_PATH);
  return {
    name,
    description: described.description ?? operation,
    icon: iconOf(described.categories),
    subgraph: false,
    kind: "operation",
    operation,
    inPorts: [...(described.input_pads ?? []).map(image), ...properties],
    outPorts: (described.output_pads ?? []).map(image),
  };
}

function graphComponents(catalogue: Catalogue): Component[] {
  return [...catalogue.values()].map((graph) => ({
    name: `${CATALOGUE_LIBRARY}/${graph.name}`,
    description: graph.description,
    icon: "sitemap",
    subgraph: true,
    kind: "graph",
    graph: graph.name,
    definition: graph.definition,
    inPorts: [
      ...(graph.input ? [{ id: INPUT_PORT, type: IMAGE_PORT_TYPE }] : []),
      ...Object.entries(graph.parameters).map(([id, { metadata }]) => {
        const { type, description, minimum, maximum, values } = metadata;
        const port: PortDefinition = { id, type, description };
        if (metadata.default !== undefined) port.default = metadata.default;
        if (values) port.values = values;
        if (minimum !== undefined) port.minimum = minimum;
        if (maximum !== undefined) port.maximum = maximum;
        return port;
      }),
    ],
    outPorts: [{ id: OUTPUT_PORT, type: IMAGE_PORT_TYPE }],
  }));
}

/** Every component the runtime offers: each GEGL operation of the workers, the catalogue, core. */
export class ComponentLibrary {
  private constructor(
    private readonly components: ReadonlyMap<string, Component>,
    /** What the workers' GEGL says about every operation (for compiling live graphs). */
    readonly operations: OperationDescriptions,
  ) {}

  /** From what the workers' GEGL says about every operation (GeglPool.describe) and the catalogue. */
  static from(operations: OperationDescriptions, catalogue: Catalogue): ComponentLibrary {
    const components = new Map<string, Component>();
    for (const [operation, described] of Object.entries(operations)) {
      const component = operationComponent(operation, described as DescribedOperation);
      if (component) components.set(component.name, component);
    }
    for (const component of [...graphComponents(catalogue), ...CORE_COMPONENTS]) {
      components.set(component.name, component);
    }
    return new ComponentLibrary(components, operations);
  }

  get(name: string): Component | undefined {
    return this.components.get(name);
  }

  list(): Component[] {
    return [...this.components.values()];
  }

  /** The graph behind a catalogue graph's component, or null for any other component. */
  subgraph(name: string): FbpGraph | null {
    const component = this.get(name);
    return component?.kind === "graph" ? component.definition : null;
  }

  /** The image pads of a component (its `buffer` ports). */
  isImagePort(component: string, port: string, side: "inPorts" | "outPorts"): boolean {
    const found = this.get(component)?.[side].find((candidate) => candidate.id === port);
    return found?.type === IMAGE_PORT_TYPE;
  }
}

/** The protocol's view of a component: the definition without the runtime's own fields. */
export function componentDefinition(component: Component): ComponentDefinition {
  const { name, description, icon, subgraph, inPorts, outPorts } = component;
  return { name, description, icon, subgraph, inPorts, outPorts };
}
