/** A component as the runtime lists it (`component:component`). */
export interface ComponentInfo {
  name: string;
  description?: string;
  subgraph?: boolean;
  inPorts: PortInfo[];
  outPorts: PortInfo[];
}

export interface PortInfo {
  id: string;
  type: string;
  description?: string;
  default?: unknown;
  values?: string[];
  minimum?: number;
  maximum?: number;
}

export const IMAGE_PORT_TYPE = "buffer";

export const isImagePort = (port: PortInfo) => port.type === IMAGE_PORT_TYPE;

/** Components worth offering in the palette: image operations and catalogue graphs, by name. */
export function paletteMatches(
  components: Iterable<ComponentInfo>,
  query: string,
): ComponentInfo[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return [...components]
    .filter((component) => !component.name.startsWith("core/"))
    .filter((component) => {
      const text = `${component.name} ${component.description ?? ""}`.toLowerCase();
      return words.every((word) => text.includes(word));
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A fresh node id for a component: its operation name, numbered when taken. */
export function nodeIdFor(component: string, taken: (id: string) => boolean): string {
  const base = (component.split("/").pop() ?? "node").replace(/[^A-Za-z0-9_]/g, "_");
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}_${n}`;
    if (!taken(id)) return id;
  }
}
