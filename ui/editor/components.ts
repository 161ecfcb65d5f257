import {
  type ComponentDefinition as ComponentInfo,
  IMAGE_PORT_TYPE,
  type PortDefinition as PortInfo,
} from "../../shared/fbp-component.ts";

export type { ComponentInfo, PortInfo };

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

/** The catalogue's graphs among the components (`graphs/<name>`), by name. */
export function catalogueGraphNames(components: Iterable<ComponentInfo>): string[] {
  return [...components]
    .filter((component) => component.name.startsWith("graphs/"))
    .map((component) => component.name.slice("graphs/".length))
    .sort();
}

/** A fresh node id for a component: its operation name, numbered when taken. */
export function nodeIdFor(component: string, taken: (id: string) => boolean): string {
  const base = (component.split("/").pop() ?? "node").replace(/[^A-Za-z0-9_]/g, "_");
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}_${n}`;
    if (!taken(id)) return id;
  }
}
